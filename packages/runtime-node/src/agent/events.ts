/**
 * Nomad's event stream: every committed command becomes a batch of events (`Job`,
 * `Evaluation`, `Allocation`, `Deployment`, `Node` topics with Nomad's event types), kept in a
 * bounded buffer so a subscriber can resume from an index.
 */
import {
  encodeAllocation,
  encodeDeployment,
  encodeEvaluation,
  encodeNode,
  type Command,
  type ControlPlane,
  type LogEntry,
} from '@tsnomad/core';
import { nomadJobJson } from '../http/jobJson.js';

/** One event as Nomad's `/v1/event/stream` writes it. */
export interface StreamEvent {
  readonly Topic: string;
  readonly Type: string;
  readonly Key: string;
  readonly Namespace: string;
  readonly FilterKeys: readonly string[] | null;
  readonly Index: number;
  readonly Payload: Record<string, unknown>;
}

/** The events of one committed index. */
export interface EventBatch {
  readonly index: number;
  readonly events: readonly StreamEvent[];
}

/** The buffer and fan-out of event batches. */
export interface EventBroker {
  publish(entry: LogEntry<Command>): void;
  /** Buffered batches with index > `after`, oldest first. */
  since(after: number): EventBatch[];
  /** Calls `fn` with each new batch; returns an unsubscribe function. */
  subscribe(fn: (b: EventBatch) => void, onClose: () => void): () => void;
  /** Ends every subscription (shutdown). */
  close(): void;
}

/** How many batches are kept for resuming (Nomad's event_buffer_size is in the same range). */
export const EVENT_BUFFER_BATCHES = 4096;

export function createEventBroker(cp: ControlPlane, capacity = EVENT_BUFFER_BATCHES): EventBroker {
  const buffer: EventBatch[] = [];
  const subs = new Map<(b: EventBatch) => void, () => void>();

  const toEvents = (entry: LogEntry<Command>): StreamEvent[] => {
    const s = cp.state();
    const index = entry.index;
    const out: StreamEvent[] = [];
    const job = (namespace: string, id: string, type: string, stored = s.jobById(namespace, id)): void => {
      if (stored)
        out.push({
          Topic: 'Job',
          Type: type,
          Key: id,
          Namespace: namespace,
          FilterKeys: null,
          Index: index,
          Payload: { Job: nomadJobJson(stored) },
        });
    };
    const evals = (ids: readonly string[]): void => {
      for (const id of ids) {
        const e = s.evalById(id);
        if (e)
          out.push({
            Topic: 'Evaluation',
            Type: 'EvaluationUpdated',
            Key: e.id,
            Namespace: e.namespace,
            FilterKeys: [e.jobId, e.deploymentId ?? ''].filter(Boolean),
            Index: index,
            Payload: { Evaluation: encodeEvaluation(e) },
          });
      }
    };
    const allocs = (ids: readonly string[], type: string): void => {
      for (const id of ids) {
        const a = s.allocById(id);
        if (a)
          out.push({
            Topic: 'Allocation',
            Type: type,
            Key: a.id,
            Namespace: a.namespace,
            FilterKeys: [a.jobId, a.deploymentId ?? ''].filter(Boolean),
            Index: index,
            Payload: { Allocation: encodeAllocation(a) },
          });
      }
    };
    const deployment = (id: string | undefined, type: string): void => {
      const d = id ? s.deploymentById(id) : undefined;
      if (d)
        out.push({
          Topic: 'Deployment',
          Type: type,
          Key: d.id,
          Namespace: d.namespace,
          FilterKeys: [d.jobId],
          Index: index,
          Payload: { Deployment: encodeDeployment(d) },
        });
    };
    const node = (id: string, type: string): void => {
      const n = s.nodeById(id);
      if (n)
        out.push({
          Topic: 'Node',
          Type: type,
          Key: n.id,
          Namespace: '',
          FilterKeys: null,
          Index: index,
          Payload: { Node: encodeNode(n) },
        });
    };
    const c = entry.command;
    switch (c.type) {
      case 'JobRegister':
        job(c.job.namespace, c.job.id, 'JobRegistered');
        if (c.evaluation) evals([c.evaluation.id]);
        break;
      case 'JobDeregister':
        job(c.namespace, c.jobId, 'JobDeregistered', s.jobById(c.namespace, c.jobId) ?? undefined);
        if (c.evaluation) evals([c.evaluation.id]);
        break;
      case 'EvalUpdate':
        evals(c.evals.map((e) => e.id));
        break;
      case 'PlanApply':
        allocs(
          [...c.allocsUpdated, ...c.allocsStopped, ...c.allocsPreempted].map((a) => a.id),
          'PlanResult',
        );
        deployment(c.deployment?.id, 'DeploymentStatusUpdate');
        for (const u of c.deploymentUpdates) deployment(u.deploymentId, 'DeploymentStatusUpdate');
        evals((c.preemptionEvals ?? []).map((e) => e.id));
        break;
      case 'AllocClientUpdate':
        allocs(
          c.allocs.map((a) => a.id),
          'AllocationUpdated',
        );
        evals((c.evaluations ?? []).map((e) => e.id));
        break;
      case 'AllocDesiredTransition':
        allocs(Object.keys(c.transitions), 'AllocationUpdateDesiredStatus');
        evals((c.evaluations ?? []).map((e) => e.id));
        break;
      case 'NodeRegister':
        node(c.node.id, 'NodeRegistration');
        evals((c.evaluations ?? []).map((e) => e.id));
        break;
      case 'NodeStatusUpdate':
        node(c.nodeId, 'NodeEvent');
        evals((c.evaluations ?? []).map((e) => e.id));
        break;
      case 'NodeDrain':
        node(c.nodeId, 'NodeDrain');
        break;
      case 'NodeEligibility':
        node(c.nodeId, 'NodeEligibility');
        evals((c.evaluations ?? []).map((e) => e.id));
        break;
      case 'DeploymentStatusUpdate':
        deployment(c.update.deploymentId, 'DeploymentStatusUpdate');
        if (c.job) job(c.job.namespace, c.job.id, 'JobRegistered');
        if (c.evaluation) evals([c.evaluation.id]);
        break;
      case 'DeploymentPromote':
        deployment(c.deploymentId, 'DeploymentPromotion');
        if (c.evaluation) evals([c.evaluation.id]);
        break;
      case 'DeploymentAllocHealth':
        deployment(c.deploymentId, 'DeploymentAllocHealth');
        if (c.evaluation) evals([c.evaluation.id]);
        break;
      default:
        break;
    }
    return out;
  };

  return {
    publish(entry) {
      // Nothing to encode when nobody listens and nothing will resume: still buffer, lazily cheap enough.
      const events = toEvents(entry);
      if (events.length === 0) return;
      const batch: EventBatch = { index: entry.index, events };
      buffer.push(batch);
      if (buffer.length > capacity) buffer.splice(0, buffer.length - capacity);
      for (const fn of subs.keys()) fn(batch);
    },
    since(after) {
      let lo = 0;
      let hi = buffer.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (buffer[mid]!.index <= after) lo = mid + 1;
        else hi = mid;
      }
      return buffer.slice(lo);
    },
    subscribe(fn, onClose) {
      subs.set(fn, onClose);
      return () => subs.delete(fn);
    },
    close() {
      for (const onClose of subs.values()) onClose();
      subs.clear();
    },
  };
}
