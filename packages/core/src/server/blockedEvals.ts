/**
 * Blocked evaluations: evaluations that could not place everything wait here until capacity
 * may have appeared. Facts kept from Nomad: an evaluation records which computed node classes
 * were eligible or not (`classEligibility`) and whether constraints escaped class tracking
 * (`escapedComputedClass`); a node change of class C releases the evaluations for which C was
 * not known to be ineligible, plus every escaped one; one blocked evaluation per job, a newer one
 * replaces (and cancels) the older; evaluations blocked on a quota are released by that quota.
 */

/** The fields of an Evaluation the blocked tracker reads. */
export interface BlockableEval {
  readonly id: string;
  readonly namespace: string;
  readonly jobId: string;
  readonly classEligibility?: Readonly<Record<string, boolean>>;
  readonly escapedComputedClass?: boolean;
  readonly quotaLimitReached?: string;
  /** Non-node resources (`csi-volume:<ns>:<id>`) whose creation releases the evaluation. */
  readonly missingNonNodeResources?: readonly string[] | undefined;
  /** Raft index of the snapshot the evaluation was scheduled against. */
  readonly snapshotIndex?: number;
}

/** Counters. */
export interface BlockedStats {
  readonly totalBlocked: number;
  readonly totalEscaped: number;
  readonly totalQuotaLimit: number;
}

/**
 * Creates the blocked-evaluations tracker. Released evaluations are returned to the caller,
 * which re-enqueues them in the broker. Deterministic (release order is by eval id).
 * @example
 * const blocked = createBlockedEvals<Evaluation>();
 * blocked.block(evaluation);
 * for (const e of blocked.unblock(node.computedClass, index)) broker.enqueue(e, now);
 */
export function createBlockedEvals<E extends BlockableEval>(): BlockedEvals<E> {
  const byJob = new Map<string, E>(); // job key -> blocked eval
  let cancelable: E[] = [];
  // Capacity changes seen since an evaluation's snapshot release it at once (Nomad's
  // "unblock index" check): class -> index of the last change.
  const classChanged = new Map<string, number>();
  let anyChangeIndex = 0;
  // Non-node resource -> index it was last created at (released evaluations that missed it).
  const resourceChanged = new Map<string, number>();

  const key = (e: E): string => `${e.namespace}\u0000${e.jobId}`;

  const missedChange = (e: E): boolean => {
    const since = e.snapshotIndex;
    if (since === undefined) return false;
    for (const r of e.missingNonNodeResources ?? []) if ((resourceChanged.get(r) ?? 0) > since) return true;
    if (e.escapedComputedClass) return anyChangeIndex > since;
    for (const [cls, idx] of classChanged) {
      if (idx > since && e.classEligibility?.[cls] !== false) return true;
    }
    return false;
  };

  const release = (pred: (e: E) => boolean): E[] => {
    const out: E[] = [];
    for (const [k, e] of byJob) {
      if (pred(e)) {
        out.push(e);
        byJob.delete(k);
      }
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };

  return {
    /**
     * Tracks a blocked evaluation. Returns `[e]` instead when capacity already changed after
     * its snapshot (it must be re-enqueued immediately), else `[]`.
     */
    block(e: E): E[] {
      if (missedChange(e)) return [e];
      const k = key(e);
      const old = byJob.get(k);
      if (old && old.id !== e.id) cancelable.push(old);
      byJob.set(k, e);
      return [];
    },

    /** Capacity of computed class `cls` changed at `index`: returns the evaluations to re-enqueue. */
    unblock(cls: string, index: number): E[] {
      classChanged.set(cls, Math.max(classChanged.get(cls) ?? 0, index));
      anyChangeIndex = Math.max(anyChangeIndex, index);
      return release((e) => !!e.escapedComputedClass || e.classEligibility?.[cls] !== false);
    },

    /**
     * Non-node resources (CSI volumes) were created at `index`: releases the escaped
     * evaluations that were missing one of them (Nomad's UnblockNonNodeResources).
     */
    unblockResources(resources: readonly string[], index: number): E[] {
      if (resources.length === 0) return [];
      for (const r of resources) resourceChanged.set(r, Math.max(resourceChanged.get(r) ?? 0, index));
      return release(
        (e) =>
          !!e.escapedComputedClass && (e.missingNonNodeResources ?? []).some((r) => resources.includes(r)),
      );
    },

    /** A quota's usage dropped: releases evaluations blocked on it. */
    unblockQuota(quota: string): E[] {
      return release((e) => e.quotaLimitReached === quota);
    },

    /** Releases every blocked evaluation (e.g. on leadership gain the caller rebuilds instead). */
    unblockAll(): E[] {
      return release(() => true);
    },

    /** Drops the blocked evaluation of a job (job deregistered or a new eval supersedes it). */
    untrack(namespace: string, jobId: string): E | undefined {
      const k = `${namespace}\u0000${jobId}`;
      const e = byJob.get(k);
      byJob.delete(k);
      return e;
    },

    /** The blocked evaluation of a job, if any. */
    get(namespace: string, jobId: string): E | undefined {
      return byJob.get(`${namespace}\u0000${jobId}`);
    },

    /** Older blocked evaluations replaced by newer ones; the leader marks them canceled. */
    takeCancelable(): E[] {
      const out = cancelable;
      cancelable = [];
      return out;
    },

    /** Counters. */
    stats(): BlockedStats {
      let esc = 0;
      let quota = 0;
      for (const e of byJob.values()) {
        if (e.escapedComputedClass) esc++;
        if (e.quotaLimitReached) quota++;
      }
      return { totalBlocked: byJob.size, totalEscaped: esc, totalQuotaLimit: quota };
    },
  };
}

/** The blocked-evaluations tracker's type. */
export interface BlockedEvals<E extends BlockableEval> {
  /**
   * Tracks a blocked evaluation. Returns `[e]` instead when capacity already changed after
   * its snapshot (it must be re-enqueued immediately), else `[]`.
   */
  block(e: E): E[];
  /** Capacity of computed class `cls` changed at `index`: returns the evaluations to re-enqueue. */
  unblock(cls: string, index: number): E[];
  /**
   * Non-node resources (CSI volumes) were created at `index`: releases the escaped
   * evaluations that were missing one of them (Nomad's UnblockNonNodeResources).
   */
  unblockResources(resources: readonly string[], index: number): E[];
  /** A quota's usage dropped: releases evaluations blocked on it. */
  unblockQuota(quota: string): E[];
  /** Releases every blocked evaluation (e.g. on leadership gain the caller rebuilds instead). */
  unblockAll(): E[];
  /** Drops the blocked evaluation of a job (job deregistered or a new eval supersedes it). */
  untrack(namespace: string, jobId: string): E | undefined;
  /** The blocked evaluation of a job, if any. */
  get(namespace: string, jobId: string): E | undefined;
  /** Older blocked evaluations replaced by newer ones; the leader marks them canceled. */
  takeCancelable(): E[];
  /** Counters. */
  stats(): BlockedStats;
}
