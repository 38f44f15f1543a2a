/**
 * The eval broker: the leader's in-memory queue of evaluations waiting for a worker.
 * Facts kept from Nomad: highest priority first, then oldest (create index); at most one
 * evaluation per job is outstanding, later ones wait and collapse into the newest; a dequeued
 * evaluation must be acked within the nack timeout; a nack re-enqueues after a delay until the
 * delivery limit, then the evaluation goes to the failed queue; `waitUntil` delays an evaluation.
 * No timers: the owner calls {@link EvalBroker.tick} with the clock's time.
 */

/** The fields of an Evaluation the broker reads. */
export interface BrokerEval {
  readonly id: string;
  readonly namespace: string;
  readonly jobId: string;
  readonly priority: number;
  /** Scheduler type: service, batch, system, sysbatch, _core. */
  readonly type: string;
  /** Raft index that created it; older first among equal priorities. */
  readonly createIndex?: number;
  /** Not before this time (ns since epoch); 0 or absent means now. */
  readonly waitUntil?: number;
}

/** Broker settings (Nomad's defaults in ns). */
export interface EvalBrokerConfig {
  /** Time a worker has to ack before the evaluation is nacked for it. Default 60 s. */
  readonly nackTimeout: number;
  /** Deliveries before the evaluation goes to the failed queue. Default 3. */
  readonly deliveryLimit: number;
  /** Re-enqueue delay after the first nack. Default 1 s. */
  readonly initialNackDelay: number;
  /** Re-enqueue delay after later nacks. Default 20 s. */
  readonly subsequentNackDelay: number;
}

const SECOND = 1_000_000_000;

/** Nomad's broker defaults. */
export const DEFAULT_EVAL_BROKER_CONFIG: EvalBrokerConfig = {
  nackTimeout: 60 * SECOND,
  deliveryLimit: 3,
  initialNackDelay: 1 * SECOND,
  subsequentNackDelay: 20 * SECOND,
};

/** The name of the queue holding evaluations that exhausted their deliveries. */
export const FAILED_QUEUE = '_failed';

/** A dequeued evaluation and the token that must accompany its ack or nack. */
export interface Delivery<E> {
  readonly evaluation: E;
  readonly token: string;
}

/** Broker error as a value. */
export interface BrokerError {
  readonly error: string;
}

interface Unacked<E> {
  readonly evaluation: E;
  readonly token: string;
  readonly deadline: number;
}

/** Broker counters (Nomad's broker stats). */
export interface BrokerStats {
  readonly totalReady: number;
  readonly totalUnacked: number;
  readonly totalPending: number;
  readonly totalWaiting: number;
  readonly totalFailed: number;
  readonly byScheduler: Record<string, number>;
}

const jobKey = (e: BrokerEval): string => `${e.namespace}\u0000${e.jobId}`;

// Ready queues are kept sorted: priority desc, create index asc, id asc (explicit tie-break).
function before(a: BrokerEval, b: BrokerEval): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  const ai = a.createIndex ?? 0;
  const bi = b.createIndex ?? 0;
  if (ai !== bi) return ai < bi;
  return a.id < b.id;
}

function insertSorted<E extends BrokerEval>(q: E[], e: E): void {
  let lo = 0;
  let hi = q.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(q[mid]!, e)) lo = mid + 1;
    else hi = mid;
  }
  q.splice(lo, 0, e);
}

/**
 * Creates an eval broker. Not pure (it is a queue), but deterministic: time only comes in
 * through `now` arguments.
 * @example
 * const broker = createEvalBroker<Evaluation>();
 * broker.enqueue(evaluation, clock.now());
 * const d = broker.dequeue(['service', 'batch'], clock.now());
 * if (d) broker.ack(d.evaluation.id, d.token);
 */
export function createEvalBroker<E extends BrokerEval>(
  config: Partial<EvalBrokerConfig> = {},
): EvalBroker<E> {
  const cfg: EvalBrokerConfig = { ...DEFAULT_EVAL_BROKER_CONFIG, ...config };
  const ready = new Map<string, E[]>(); // by scheduler type
  const unacked = new Map<string, Unacked<E>>(); // by eval id
  const inFlightJobs = new Map<string, string>(); // job key -> eval id (ready or unacked)
  const pending = new Map<string, E[]>(); // job key -> waiting evals for that job
  const waiting: { at: number; evaluation: E }[] = []; // delayed, sorted by time
  const deliveries = new Map<string, number>();
  const failed: E[] = [];
  let cancelable: E[] = [];
  let tokenSeq = 0;
  let enabled = true;

  const pushReady = (e: E): void => {
    let q = ready.get(e.type);
    if (!q) ready.set(e.type, (q = []));
    insertSorted(q, e);
  };

  const addWaiting = (at: number, e: E): void => {
    let i = waiting.length;
    while (i > 0 && waiting[i - 1]!.at > at) i--;
    waiting.splice(i, 0, { at, evaluation: e });
  };

  // Makes `e` ready unless its job already has one outstanding; then it waits in `pending`.
  const admit = (e: E): void => {
    const key = jobKey(e);
    const current = inFlightJobs.get(key);
    if (current !== undefined && current !== e.id) {
      let p = pending.get(key);
      if (!p) pending.set(key, (p = []));
      p.push(e);
      return;
    }
    inFlightJobs.set(key, e.id);
    pushReady(e);
  };

  // After a job's outstanding eval finishes: the newest pending one runs, the rest are cancelable.
  const releaseJob = (key: string): void => {
    inFlightJobs.delete(key);
    const p = pending.get(key);
    if (!p || p.length === 0) return;
    pending.delete(key);
    let best = p[0]!;
    for (const e of p) if ((e.createIndex ?? 0) > (best.createIndex ?? 0)) best = e;
    for (const e of p) if (e !== best) cancelable.push(e);
    admit(best);
  };

  const broker = {
    /** Whether the broker accepts work (only on the leader). Disabling flushes everything. */
    setEnabled(on: boolean): void {
      enabled = on;
      if (!on) {
        ready.clear();
        unacked.clear();
        inFlightJobs.clear();
        pending.clear();
        waiting.length = 0;
        deliveries.clear();
      }
    },
    enabled: (): boolean => enabled,

    /** Enqueues an evaluation; a future `waitUntil` holds it until then. */
    enqueue(e: E, now: number): void {
      if (!enabled) return;
      if (e.waitUntil !== undefined && e.waitUntil > now) addWaiting(e.waitUntil, e);
      else admit(e);
    },

    /** The highest-priority ready evaluation among these scheduler types, or undefined. */
    dequeue(schedulers: readonly string[], now: number): Delivery<E> | undefined {
      if (!enabled) return undefined;
      let bestQ: E[] | undefined;
      for (const s of schedulers) {
        const q = ready.get(s);
        if (q && q.length > 0 && (!bestQ || before(q[0]!, bestQ[0]!))) bestQ = q;
      }
      const e = bestQ?.shift();
      if (!e) return undefined;
      const token = `t${++tokenSeq}`;
      deliveries.set(e.id, (deliveries.get(e.id) ?? 0) + 1);
      unacked.set(e.id, { evaluation: e, token, deadline: now + cfg.nackTimeout });
      return { evaluation: e, token };
    },

    /** Marks an evaluation done; the next evaluation of its job becomes ready. */
    ack(evalId: string, token: string): BrokerError | undefined {
      const u = unacked.get(evalId);
      if (!u) return { error: `evaluation ID not found: ${evalId}` };
      if (u.token !== token) return { error: 'token does not match for evaluation ID' };
      unacked.delete(evalId);
      deliveries.delete(evalId);
      releaseJob(jobKey(u.evaluation));
      return undefined;
    },

    /** Returns an evaluation for redelivery after a delay, or to the failed queue at the limit. */
    nack(evalId: string, token: string, now: number): BrokerError | undefined {
      const u = unacked.get(evalId);
      if (!u) return { error: `evaluation ID not found: ${evalId}` };
      if (u.token !== token) return { error: 'token does not match for evaluation ID' };
      unacked.delete(evalId);
      const n = deliveries.get(evalId) ?? 1;
      if (n >= cfg.deliveryLimit) {
        failed.push(u.evaluation);
        deliveries.delete(evalId);
        releaseJob(jobKey(u.evaluation));
        return undefined;
      }
      const delay = n === 1 ? cfg.initialNackDelay : cfg.subsequentNackDelay;
      // The job stays reserved for this evaluation while it waits for redelivery.
      addWaiting(now + delay, u.evaluation);
      return undefined;
    },

    /** Whether this token currently holds this evaluation (the worker checks before submitting). */
    outstanding(evalId: string, token: string): boolean {
      return unacked.get(evalId)?.token === token;
    },

    /** Extends the ack deadline of an outstanding evaluation (a long scheduling run). */
    touch(evalId: string, token: string, now: number): boolean {
      const u = unacked.get(evalId);
      if (!u || u.token !== token) return false;
      unacked.set(evalId, { ...u, deadline: now + cfg.nackTimeout });
      return true;
    },

    /** Advances time: releases delayed evaluations and nacks those past their ack deadline. */
    tick(now: number): void {
      if (!enabled) return;
      for (const [id, u] of [...unacked]) if (u.deadline <= now) broker.nack(id, u.token, now);
      while (waiting.length > 0 && waiting[0]!.at <= now) {
        const { evaluation } = waiting.shift()!;
        const key = jobKey(evaluation);
        if (inFlightJobs.get(key) === evaluation.id) pushReady(evaluation);
        else admit(evaluation);
      }
    },

    /** The earliest time something is due (delayed release or ack deadline), for the runtime's timer. */
    nextDue(): number | undefined {
      let t = waiting[0]?.at;
      for (const u of unacked.values()) if (t === undefined || u.deadline < t) t = u.deadline;
      return t;
    },

    /** Evaluations superseded by a newer one of the same job; the leader marks them canceled. */
    takeCancelable(): E[] {
      const out = cancelable;
      cancelable = [];
      return out;
    },

    /** Evaluations that exhausted their deliveries (Nomad's `_failed` queue); removes them. */
    takeFailed(): E[] {
      return failed.splice(0, failed.length);
    },

    /** Counters. */
    stats(): BrokerStats {
      const byScheduler: Record<string, number> = {};
      let totalReady = 0;
      for (const [s, q] of ready) {
        byScheduler[s] = q.length;
        totalReady += q.length;
      }
      let totalPending = 0;
      for (const p of pending.values()) totalPending += p.length;
      return {
        totalReady,
        totalUnacked: unacked.size,
        totalPending,
        totalWaiting: waiting.length,
        totalFailed: failed.length,
        byScheduler,
      };
    },
  };
  return broker;
}

/** The eval broker's type. */
export interface EvalBroker<E extends BrokerEval> {
  /** Whether the broker accepts work (only on the leader). Disabling flushes everything. */
  setEnabled(on: boolean): void;
  enabled: () => boolean;
  /** Enqueues an evaluation; a future `waitUntil` holds it until then. */
  enqueue(e: E, now: number): void;
  /** The highest-priority ready evaluation among these scheduler types, or undefined. */
  dequeue(schedulers: readonly string[], now: number): Delivery<E> | undefined;
  /** Marks an evaluation done; the next evaluation of its job becomes ready. */
  ack(evalId: string, token: string): BrokerError | undefined;
  /** Returns an evaluation for redelivery after a delay, or to the failed queue at the limit. */
  nack(evalId: string, token: string, now: number): BrokerError | undefined;
  /** Whether this token currently holds this evaluation (the worker checks before submitting). */
  outstanding(evalId: string, token: string): boolean;
  /** Extends the ack deadline of an outstanding evaluation (a long scheduling run). */
  touch(evalId: string, token: string, now: number): boolean;
  /** Advances time: releases delayed evaluations and nacks those past their ack deadline. */
  tick(now: number): void;
  /** The earliest time something is due (delayed release or ack deadline), for the runtime's timer. */
  nextDue(): number | undefined;
  /** Evaluations superseded by a newer one of the same job; the leader marks them canceled. */
  takeCancelable(): E[];
  /** Evaluations that exhausted their deliveries (Nomad's `_failed` queue); removes them. */
  takeFailed(): E[];
  /** Counters. */
  stats(): BrokerStats;
}
