/**
 * Choosing which allocations to evict so that a task group fits on a node (cpu, memory,
 * disk), by Nomad's resource-distance rule.
 */

/** The comparable resources preemption reasons about. */
export interface ResourceVector {
  cpu: number;
  memoryMB: number;
  diskMB: number;
}

/** One allocation that could be evicted. */
export interface PreemptionCandidate {
  id: string;
  /** Priority of the allocation's job. */
  priority: number;
  resources: ResourceVector;
  /** `migrate.max_parallel` of its group (0 when none). */
  maxParallel: number;
  /** How many allocations of the same job and group are already being preempted by this plan. */
  alreadyPreempted: number;
}

/** Penalty per allocation beyond a group's max_parallel. */
const MAX_PARALLEL_PENALTY = 50;

/** Only jobs at least this much lower in priority may be evicted. */
export const PREEMPTION_PRIORITY_DELTA = 10;

/**
 * Euclidean distance between an ask and an allocation's resources, each axis relative to the
 * ask (axes the ask does not use count as 0). Pure.
 */
export function basicResourceDistance(ask: ResourceVector, used: ResourceVector): number {
  const mem = ask.memoryMB > 0 ? (ask.memoryMB - used.memoryMB) / ask.memoryMB : 0;
  const cpu = ask.cpu > 0 ? (ask.cpu - used.cpu) / ask.cpu : 0;
  const disk = ask.diskMB > 0 ? (ask.diskMB - used.diskMB) / ask.diskMB : 0;
  return Math.sqrt(mem * mem + cpu * cpu + disk * disk);
}

function scoreForTaskGroup(ask: ResourceVector, c: PreemptionCandidate, preemptedSoFar: number): number {
  let penalty = 0;
  if (c.maxParallel > 0 && preemptedSoFar >= c.maxParallel) {
    penalty = (preemptedSoFar + 1 - c.maxParallel) * MAX_PARALLEL_PENALTY;
  }
  return basicResourceDistance(ask, c.resources) + penalty;
}

function covers(avail: ResourceVector, ask: ResourceVector): boolean {
  return avail.cpu >= ask.cpu && avail.memoryMB >= ask.memoryMB && avail.diskMB >= ask.diskMB;
}

function add(a: ResourceVector, b: ResourceVector): void {
  a.cpu += b.cpu;
  a.memoryMB += b.memoryMB;
  a.diskMB += b.diskMB;
}

/**
 * Picks the allocations to evict: lowest priority groups first, within a group always the
 * candidate closest to the remaining need, until the ask fits; then drops picks that turn out
 * unnecessary (largest distance first). Returns undefined when no set suffices.
 * Pure (the inputs are not modified).
 * @param free the node's capacity minus reserved minus every candidate and other usage
 */
export function preemptForTaskGroup(
  jobPriority: number,
  ask: ResourceVector,
  free: ResourceVector,
  candidates: readonly PreemptionCandidate[],
): PreemptionCandidate[] | undefined {
  const groups = new Map<number, PreemptionCandidate[]>();
  for (const c of candidates) {
    if (jobPriority - c.priority < PREEMPTION_PRIORITY_DELTA) continue;
    const g = groups.get(c.priority);
    if (g) g.push(c);
    else groups.set(c.priority, [c]);
  }
  const priorities = [...groups.keys()].sort((a, b) => a - b);
  const need = { ...ask };
  const avail = { ...free };
  const best: PreemptionCandidate[] = [];
  let met = false;
  for (const p of priorities) {
    const group = groups.get(p)!;
    while (group.length > 0 && !met) {
      let bestIdx = 0;
      let bestDist = Infinity;
      for (let i = 0; i < group.length; i++) {
        const c = group[i]!;
        const d = scoreForTaskGroup(need, c, c.alreadyPreempted);
        if (d < bestDist) {
          bestDist = d;
          bestIdx = i;
        }
      }
      const chosen = group[bestIdx]!;
      add(avail, chosen.resources);
      met = covers(avail, ask);
      best.push(chosen);
      group[bestIdx] = group[group.length - 1]!;
      group.pop();
      need.cpu -= chosen.resources.cpu;
      need.memoryMB -= chosen.resources.memoryMB;
      need.diskMB -= chosen.resources.diskMB;
    }
    if (met) break;
  }
  if (!met) return undefined;

  // Keep only as many as needed, trying the ones farthest from the ask first (ties keep pick order).
  const order = best
    .map((c, i) => ({ c, i, d: basicResourceDistance(ask, c.resources) }))
    .sort((a, b) => b.d - a.d || a.i - b.i);
  const kept: PreemptionCandidate[] = [];
  const acc = { ...free };
  for (const { c } of order) {
    kept.push(c);
    add(acc, c.resources);
    if (covers(acc, ask)) break;
  }
  return kept;
}
