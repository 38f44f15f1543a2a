/**
 * Allocation predicates and the bucket filters of the cluster reconciler: which allocations are
 * terminal, which sit on tainted nodes (migrate / lost), and which failed ones are rescheduled
 * now, later, or not at all.
 */
import { isClientTerminal, isServerTerminal, isTerminal, type Allocation } from '../../structs/allocation.js';
import type { Node } from '../../structs/node.js';
import type { TaskGroup } from '../../jobspec/types.js';
import { nextRescheduleTimeFrom, rescheduleEnabled } from './reschedule.js';

/** Allocations are kept in id order so every walk over a set is deterministic. */
export type AllocSet = Map<string, Allocation>;

/** Builds a set from allocations, ordered by id. Pure. */
export function allocSetOf(allocs: Iterable<Allocation>): AllocSet {
  return new Map([...allocs].sort((a, b) => cmp(a.id, b.id)).map((a) => [a.id, a]));
}

/** Plain string comparison (no locale) for stable tie-breaking. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Allocations of `set` not in any of `others`. Pure. */
export function difference(set: AllocSet, ...others: AllocSet[]): AllocSet {
  const out: AllocSet = new Map();
  for (const [id, a] of set) if (!others.some((o) => o.has(id))) out.set(id, a);
  return out;
}

/** Allocations in any of the sets, id-ordered. Pure. */
export function union(...sets: AllocSet[]): AllocSet {
  const all: Allocation[] = [];
  const seen = new Set<string>();
  for (const s of sets)
    for (const [id, a] of s)
      if (!seen.has(id)) {
        seen.add(id);
        all.push(a);
      }
  return allocSetOf(all);
}

/** The allocations ordered by name, then id (Nomad's nameOrder, made total). Pure. */
export function nameOrder(set: AllocSet): Allocation[] {
  return [...set.values()].sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id));
}

/** The allocation is a deployment canary. Pure. */
export function isCanary(a: Allocation): boolean {
  return a.deploymentStatus?.canary === true;
}

/** Every task finished successfully (a batch allocation that ran to completion). Pure. */
export function ranSuccessfully(a: Allocation): boolean {
  const states = Object.values(a.taskStates ?? {});
  if (states.length === 0) return a.clientStatus === 'complete';
  return states.every((s) => s.state === 'dead' && !s.failed);
}

/** The latest task finish time, else the allocation's modify time (ns). Pure. */
export function lastEventTime(a: Allocation): number {
  let t = 0;
  for (const s of Object.values(a.taskStates ?? {})) if ((s.finishedAt ?? 0) > t) t = s.finishedAt ?? 0;
  return t || a.modifyTime;
}

/** The scheduler once tried to reschedule this allocation and found no place for it. Pure. */
export function lastRescheduleFailed(a: Allocation): boolean {
  const last = a.rescheduleTracker?.lastReschedule;
  return last !== undefined && last !== '' && last !== 'ok';
}

/** The task group this allocation was placed from (its own job version). Pure. */
export function allocTaskGroup(a: Allocation): TaskGroup | undefined {
  return a.job?.taskGroups.find((g) => g.name === a.taskGroup);
}

/**
 * When a failed (or lost) allocation may be replaced, and whether its reschedule policy allows
 * it. Pure.
 */
export function nextRescheduleTime(a: Allocation): { time: number; eligible: boolean } {
  const policy = allocTaskGroup(a)?.reschedulePolicy;
  const failTime = lastEventTime(a);
  const rescheduledBatch = a.job?.type === 'batch' && a.desiredTransition.reschedule === true;
  if (!rescheduleEnabled(policy)) return { time: 0, eligible: false };
  if (
    (a.desiredStatus === 'stop' && !lastRescheduleFailed(a)) ||
    (!rescheduledBatch && a.clientStatus !== 'failed' && a.clientStatus !== 'lost') ||
    failTime === 0
  ) {
    return { time: 0, eligible: false };
  }
  return nextRescheduleTimeFrom(policy, a.rescheduleTracker?.events, failTime, failTime);
}

/** The buckets of Nomad's classification (first matching rule wins). */
export interface Classified {
  untainted: AllocSet;
  migrate: AllocSet;
  lost: AllocSet;
  /** Running allocations on a node that just disconnected, within their disconnect window. */
  disconnecting: AllocSet;
  /** Allocations back on a connected node while their disconnect replacement still runs. */
  reconnecting: AllocSet;
  ignore: AllocSet;
}

/**
 * How long an allocation may stay unknown on a disconnected node (`disconnect.lost_after`, else
 * `max_client_disconnect`), ns; 0 means it is lost at once. Pure.
 */
export function disconnectTimeout(a: Allocation): number {
  const tg = allocTaskGroup(a);
  return tg?.disconnect?.lostAfter || tg?.maxClientDisconnect || 0;
}

/** Whether an allocation that disconnects is replaced meanwhile (`disconnect.replace`, default true). Pure. */
export function replaceOnDisconnect(a: Allocation): boolean {
  return allocTaskGroup(a)?.disconnect?.replace ?? true;
}

/**
 * Sorts allocations by where they run: on healthy nodes (untainted), flagged to migrate by a
 * drain (migrate), on down or vanished nodes (lost), on disconnected nodes (disconnecting, or
 * lost once the disconnect window is over), back from a disconnect (reconnecting), or already
 * stopped by the server (ignore). `tainted` maps node id to the node (draining / down /
 * disconnected) or `null` when the node no longer exists. Pure.
 */
export function classifyAllocs(
  set: AllocSet,
  tainted: ReadonlyMap<string, Node | null>,
  now = 0,
): Classified {
  const out: Classified = {
    untainted: new Map(),
    migrate: new Map(),
    lost: new Map(),
    disconnecting: new Map(),
    reconnecting: new Map(),
    ignore: new Map(),
  };
  // Live replacements of a disconnected allocation point back at it.
  const replacedBy = new Set<string>();
  for (const a of set.values())
    if (a.previousAllocation && !isTerminal(a)) replacedBy.add(a.previousAllocation);
  for (const [id, a] of set) {
    if (isTerminal(a)) {
      if (isServerTerminal(a)) out.ignore.set(id, a);
      else if (isCanary(a) && a.desiredTransition.migrate === true) out.migrate.set(id, a);
      else out.untainted.set(id, a);
      continue;
    }
    const node = tainted.has(a.nodeId) ? (tainted.get(a.nodeId) ?? null) : undefined;
    if (node?.status === 'disconnected') {
      const timeout = disconnectTimeout(a);
      const unknownSince = a.clientStatus === 'unknown' ? a.modifyTime : now;
      if (a.clientStatus === 'pending' || timeout === 0 || now - unknownSince >= timeout) out.lost.set(id, a);
      else if (a.clientStatus === 'unknown') out.untainted.set(id, a);
      else out.disconnecting.set(id, a);
      continue;
    }
    if (a.desiredTransition.migrate === true) {
      out.migrate.set(id, a);
      continue;
    }
    if (node === null || node?.status === 'down') {
      out.lost.set(id, a);
      continue;
    }
    if (a.clientStatus === 'running' && replacedBy.has(a.id) && node === undefined)
      out.reconnecting.set(id, a);
    else out.untainted.set(id, a);
  }
  return out;
}

/** A failed allocation that may be replaced later, at `rescheduleTime` (ns). */
export interface DelayedReschedule {
  alloc: Allocation;
  rescheduleTime: number;
}

/** Reschedules within this window of now happen now rather than by a follow-up (1 s). */
export const RESCHEDULE_WINDOW_NS = 1e9;
/** Delayed reschedules within this window share one follow-up evaluation (5 s). */
export const BATCHED_FAILED_ALLOC_WINDOW_NS = 5e9;

/**
 * Splits allocations into those that stay (untainted), failed ones to replace now, and failed
 * ones to replace later (each with its time). Batch allocations that completed stay and are
 * never replaced; service allocations that completed or were stopped are dropped. Pure.
 */
export function filterByRescheduleable(
  set: AllocSet,
  isBatch: boolean,
  now: number,
  evalId: string,
  deployment: { id: string; status: string } | undefined,
): { untainted: AllocSet; rescheduleNow: AllocSet; rescheduleLater: DelayedReschedule[] } {
  const untainted: AllocSet = new Map();
  const rescheduleNow: AllocSet = new Map();
  const rescheduleLater: DelayedReschedule[] = [];
  for (const [id, a] of set) {
    // A terminal allocation already replaced is history.
    if (a.nextAllocation && isTerminal(a)) continue;
    const { untainted: keep, ignore } = shouldFilter(a, isBatch);
    if (keep) {
      untainted.set(id, a);
      continue;
    }
    if (ignore) continue;
    const r = updateByReschedulable(a, now, evalId, deployment);
    if (r.now) {
      rescheduleNow.set(id, a);
      continue;
    }
    untainted.set(id, a);
    if (r.later) rescheduleLater.push({ alloc: a, rescheduleTime: r.time });
  }
  return { untainted, rescheduleNow, rescheduleLater };
}

/** Nomad's rule for which allocations count (untainted) and which are dropped (ignore). Pure. */
export function shouldFilter(a: Allocation, isBatch: boolean): { untainted: boolean; ignore: boolean } {
  if (isBatch) {
    if (a.desiredTransition.reschedule === true) return { untainted: false, ignore: false };
    if (a.desiredStatus === 'stop') {
      if (ranSuccessfully(a)) return { untainted: true, ignore: false };
      if (lastRescheduleFailed(a)) return { untainted: false, ignore: false };
      return { untainted: false, ignore: true };
    }
    if (a.desiredStatus === 'evict') return { untainted: false, ignore: true };
    if (a.clientStatus === 'failed') return { untainted: false, ignore: false };
    return { untainted: true, ignore: false };
  }
  if (isServerTerminal(a)) return { untainted: false, ignore: !lastRescheduleFailed(a) };
  if (a.clientStatus === 'complete' || a.clientStatus === 'lost') return { untainted: false, ignore: true };
  return { untainted: false, ignore: false };
}

function updateByReschedulable(
  a: Allocation,
  now: number,
  evalId: string,
  d: { id: string; status: string } | undefined,
): { now: boolean; later: boolean; time: number } {
  const no = { now: false, later: false, time: 0 };
  // Inside an active deployment only allocations marked for rescheduling are replaced.
  if (
    d &&
    a.deploymentId === d.id &&
    isActiveDeploymentStatus(d.status) &&
    a.desiredTransition.reschedule !== true
  ) {
    return no;
  }
  const forced = a.desiredTransition.forceReschedule === true && isClientTerminal(a);
  const { time, eligible } = nextRescheduleTime(a);
  if (forced) return { now: true, later: false, time };
  if (eligible && (a.followupEvalId === evalId || time - now <= RESCHEDULE_WINDOW_NS)) {
    return { now: true, later: false, time };
  }
  if (eligible && !a.followupEvalId) return { now: false, later: true, time };
  return { ...no, time };
}

/** running, paused, initializing, pending, blocked and unblocking deployments are active. Pure. */
export function isActiveDeploymentStatus(status: string): boolean {
  return ['running', 'paused', 'initializing', 'pending', 'blocked', 'unblocking'].includes(status);
}
