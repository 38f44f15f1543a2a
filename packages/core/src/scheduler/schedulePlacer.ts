/**
 * The default placement seam of `schedule()`, over the placement engine's stack, and a compact
 * built-in placer used where the stack cannot answer a per-node request.
 */
import type { Constraint, Job, TaskGroup } from '../jobspec/types.js';
import type { Allocation } from '../structs/allocation.js';
import { emptyAllocMetric, type AllocMetric } from '../structs/allocMetric.js';
import type { Node } from '../structs/node.js';
import type { AllocatedResources, AllocatedTaskResources } from '../structs/resources.js';
import { checkConstraint } from './feasible/checkConstraint.js';
import { datacenterMatches, resolveTarget } from './feasible/resolveTarget.js';
import { allocUsage, computedClassOf, isTerminal } from './nodeTable.js';
import { BIN_PACKING_MAX_FIT_SCORE, fitScore } from './rank/fitScore.js';
import { jobAntiAffinityScore } from './rank/scores.js';
import type {
  Placer,
  PlacerFactory,
  PlacementOption,
  PlacementRequest,
  SchedulerContext,
} from './scheduleContext.js';
import { createStackPlacer } from './stackPlacer.js';
import { selectionLimit } from './select/limit.js';

interface Usage {
  cpu: number;
  memoryMB: number;
  diskMB: number;
}

/**
 * The default placer of `schedule()`: the placement engine's full stack; when a request is
 * restricted to given nodes (system jobs) and the stack answers with another node, the
 * requested node is judged by the built-in placer instead.
 */
export const createDefaultPlacer: PlacerFactory = (ctx, job) => {
  const stack = createStackPlacer(ctx, job);
  let builtin: Placer | undefined;
  return {
    select(group, req) {
      const o = stack.select(group, req);
      if (!req.nodeIds || !o.node || req.nodeIds.includes(o.node.id)) return o;
      builtin ??= createBuiltinPlacer(ctx, job);
      return builtin.select(group, req);
    },
    classEligibility: () => {
      const a = stack.classEligibility?.() ?? { classes: {}, escaped: false };
      const b = builtin?.classEligibility?.() ?? { classes: {}, escaped: false };
      return { classes: { ...b.classes, ...a.classes }, escaped: a.escaped || b.escaped };
    },
  };
};

/**
 * A compact placer over the rank/select stage functions: feasibility (status, eligibility,
 * datacenter, pool, drivers, constraints), fit, bin-pack/spread score with reschedule penalty
 * and job anti-affinity, over a seeded random node order limited as Nomad limits it.
 */
export function createBuiltinPlacer(ctx: SchedulerContext, job: Job): Placer {
  const isBatch = job.type === 'batch' || job.type === 'sysbatch';
  const pool = job.nodePool || 'default';
  // Nodes in the job's datacenters and pool, in a seeded random order (Nomad's random source).
  const candidates = ctx.rng.shuffle(
    ctx.snapshot
      .nodes()
      .filter(
        (n) => datacenterMatches(job.datacenters, n.datacenter) && (pool === 'all' || n.nodePool === pool),
      ),
  );
  const byDc: Record<string, number> = {};
  for (const n of candidates) if (n.status === 'ready') byDc[n.datacenter] = (byDc[n.datacenter] ?? 0) + 1;
  const classes: Record<string, boolean> = {};
  let escaped = false;
  let offset = 0;

  const usageCache = new Map<string, { version: number; used: Usage; groupCount: Map<string, number> }>();
  const usageOn = (nodeId: string): { used: Usage; groupCount: Map<string, number> } => {
    const version = ctx.planVersion(nodeId);
    const hit = usageCache.get(nodeId);
    if (hit && hit.version === version) return hit;
    const computed = computeUsage(nodeId);
    usageCache.set(nodeId, { version, ...computed });
    return computed;
  };

  const computeUsage = (nodeId: string): { used: Usage; groupCount: Map<string, number> } => {
    const removed = new Set<string>();
    for (const a of ctx.plan.nodeUpdate[nodeId] ?? []) removed.add(a.id);
    for (const a of ctx.plan.nodePreemptions[nodeId] ?? []) removed.add(a.id);
    const used: Usage = { cpu: 0, memoryMB: 0, diskMB: 0 };
    const groupCount = new Map<string, number>();
    const add = (a: Allocation): void => {
      const u = allocUsage(a);
      used.cpu += u.cpu;
      used.memoryMB += u.memoryMB;
      used.diskMB += u.diskMB;
      if (a.jobId === job.id && a.namespace === job.namespace) {
        groupCount.set(a.taskGroup, (groupCount.get(a.taskGroup) ?? 0) + 1);
      }
    };
    const planned = new Map((ctx.plan.nodeAllocation[nodeId] ?? []).map((a) => [a.id, a]));
    for (const a of ctx.snapshot.allocsByNode(nodeId)) {
      if (isTerminal(a) || removed.has(a.id)) continue;
      const p = planned.get(a.id);
      if (p) {
        planned.delete(a.id);
        if (isTerminal(p)) continue;
        // An in-place update carries no resources of its own; keep the existing ones.
        add(p.allocatedResources ? p : a);
        continue;
      }
      add(a);
    }
    for (const a of planned.values()) if (!isTerminal(a)) add(a);
    return { used, groupCount };
  };

  const feasible = (n: Node, tg: TaskGroup, m: AllocMetric): boolean => {
    const cls = computedClassOf(n);
    const reject = (reason: string, escapes = false): false => {
      m.nodesFiltered++;
      m.constraintFiltered[reason] = (m.constraintFiltered[reason] ?? 0) + 1;
      if (n.nodeClass) m.classFiltered[n.nodeClass] = (m.classFiltered[n.nodeClass] ?? 0) + 1;
      if (escapes) escaped = true;
      else if (classes[cls] === undefined) classes[cls] = false;
      return false;
    };
    if (n.status !== 'ready' || n.schedulingEligibility !== 'eligible' || n.drainStrategy) {
      m.nodesFiltered++;
      return false;
    }
    for (const t of tg.tasks) {
      const d = n.drivers[t.driver];
      const attr = n.attributes[`driver.${t.driver}`];
      if (!(d ? d.detected && d.healthy : attr === '1' || attr === 'true')) return reject('missing drivers');
    }
    const constraints: Constraint[] = [
      ...job.constraints,
      ...tg.constraints,
      ...tg.tasks.flatMap((t) => t.constraints),
    ];
    for (const c of constraints) {
      if (c.operand === 'distinct_hosts' || c.operand === 'distinct_property') continue;
      const l = resolveTarget(c.ltarget, n);
      const r = resolveTarget(c.rtarget, n);
      const escapes = c.ltarget.includes('unique.') || c.rtarget.includes('unique.');
      if (!checkConstraint(l, c.operand, r)) return reject(`${c.ltarget} ${c.operand} ${c.rtarget}`, escapes);
    }
    if (!escaped) classes[cls] = true;
    return true;
  };

  return {
    select(tg: TaskGroup, req: PlacementRequest): PlacementOption {
      const m: AllocMetric = {
        ...emptyAllocMetric(),
        nodesAvailable: { ...byDc },
        nodesInPool: candidates.length,
        nodePool: pool,
      };
      const ask: Usage = {
        cpu: tg.tasks.reduce((s, t) => s + t.resources.cpu, 0),
        memoryMB: tg.tasks.reduce((s, t) => s + t.resources.memoryMB, 0),
        diskMB: tg.ephemeralDisk?.sizeMB ?? 0,
      };
      const restrict = req.nodeIds ? new Set(req.nodeIds) : undefined;
      let list = restrict ? candidates.filter((n) => restrict.has(n.id)) : candidates;
      if (req.preferredNodeId) {
        const pref = list.find((n) => n.id === req.preferredNodeId);
        if (pref) list = [pref, ...list.filter((n) => n !== pref)];
      }
      const hasAffinityOrSpread =
        tg.affinities.length + tg.spreads.length + job.affinities.length + job.spreads.length > 0;
      const limit = selectionLimit(isBatch, list.length, tg.count, hasAffinityOrSpread);
      let best: { node: Node; score: number } | undefined;
      let found = 0;
      const start = restrict || req.preferredNodeId ? 0 : offset;
      let exhausted = 0;
      for (let i = 0; i < list.length && found < limit; i++) {
        const n = list[(start + i) % list.length];
        if (!n) continue;
        m.nodesEvaluated++;
        if (!feasible(n, tg, m)) continue;
        const avail = {
          cpu: n.nodeResources.cpu.cpuShares - n.reservedResources.cpu.cpuShares,
          memoryMB: n.nodeResources.memory.memoryMB - n.reservedResources.memory.memoryMB,
          diskMB: n.nodeResources.disk.diskMB - n.reservedResources.disk.diskMB,
        };
        const { used, groupCount } = usageOn(n.id);
        const after = {
          cpu: used.cpu + ask.cpu,
          memoryMB: used.memoryMB + ask.memoryMB,
          diskMB: used.diskMB + ask.diskMB,
        };
        const dim =
          after.cpu > avail.cpu
            ? 'cpu'
            : after.memoryMB > avail.memoryMB
              ? 'memory'
              : after.diskMB > avail.diskMB
                ? 'disk'
                : '';
        if (dim) {
          exhausted++;
          m.nodesExhausted++;
          m.dimensionExhausted[dim] = (m.dimensionExhausted[dim] ?? 0) + 1;
          if (n.nodeClass) m.classExhausted[n.nodeClass] = (m.classExhausted[n.nodeClass] ?? 0) + 1;
          continue;
        }
        found++;
        const scores: number[] = [
          fitScore(avail.cpu, avail.memoryMB, after.cpu, after.memoryMB, ctx.config.schedulerAlgorithm) /
            BIN_PACKING_MAX_FIT_SCORE,
        ];
        const collisions = groupCount.get(tg.name) ?? 0;
        if (collisions > 0) scores.push(jobAntiAffinityScore(collisions, tg.count));
        if (req.penaltyNodeIds.has(n.id)) scores.push(-1);
        const score = scores.reduce((s, x) => s + x, 0) / scores.length;
        m.scores[`${n.id}.normalized-score`] = score;
        if (!best || score > best.score || (score === best.score && n.id < best.node.id))
          best = { node: n, score };
      }
      if (!restrict && !req.preferredNodeId && list.length > 0) offset = (offset + 1) % list.length;
      if (!best) return { preemptedAllocs: [], metrics: m, exhausted: exhausted > 0 };
      return {
        node: best.node,
        allocatedResources: allocatedFor(tg),
        preemptedAllocs: [],
        metrics: m,
        exhausted: false,
      };
    },
    classEligibility: () => ({ classes: { ...classes }, escaped }),
  };
}

function allocatedFor(tg: TaskGroup): AllocatedResources {
  const tasks: Record<string, AllocatedTaskResources> = {};
  for (const t of tg.tasks) {
    tasks[t.name] = {
      cpu: { cpuShares: t.resources.cpu, reservedCores: [] },
      memory: { memoryMB: t.resources.memoryMB, memoryMaxMB: t.resources.memoryMaxMB },
      networks: [],
      devices: [],
    };
  }
  return {
    tasks,
    taskLifecycles: Object.fromEntries(
      tg.tasks.map((t) => [
        t.name,
        t.lifecycle ? { hook: t.lifecycle.hook, sidecar: t.lifecycle.sidecar } : null,
      ]),
    ),
    shared: { networks: [], diskMB: tg.ephemeralDisk?.sizeMB ?? 0, ports: [] },
  };
}
