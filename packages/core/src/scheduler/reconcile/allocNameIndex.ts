/**
 * Allocation names (`job.group[i]`) and the index that hands out free slots, as Nomad assigns them.
 */

/** The name of slot `index` of a task group: `job.group[index]`. Pure. */
export function allocName(jobId: string, group: string, index: number): string {
  return `${jobId}.${group}[${index}]`;
}

/**
 * The slot index encoded in an allocation name; 0 when the name does not parse (Nomad's rule).
 * Pure. Example: `allocIndexFromName('web.api[3]', 'web', 'api') === 3`.
 */
export function allocIndexFromName(name: string, jobId: string, group: string): number {
  const prefix = jobId.length + group.length + 2;
  if (name.length <= 3 || name.length <= prefix) return 0;
  const n = Number.parseInt(name.slice(prefix, name.length - 1), 10);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

/**
 * Tracks which slots `0..count-1` of one group are taken, so placements reuse the lowest free
 * names and scale-downs stop the highest ones. Mutable scratch owned by one reconciliation.
 */
export class AllocNameIndex {
  private readonly used = new Set<number>();
  private readonly duplicates = new Map<number, number>();

  constructor(
    readonly jobId: string,
    readonly group: string,
    readonly count: number,
    takenNames: Iterable<string>,
  ) {
    for (const name of takenNames) {
      const idx = allocIndexFromName(name, jobId, group);
      if (this.used.has(idx)) this.duplicates.set(idx, (this.duplicates.get(idx) ?? 0) + 1);
      else this.used.add(idx);
    }
  }

  /** The highest `n` taken names, releasing them (used to pick what a scale-down stops). */
  highest(n: number): Set<string> {
    const out = new Set<string>();
    const sorted = [...this.used].sort((a, b) => b - a);
    for (const idx of sorted) {
      if (out.size >= n) break;
      this.used.delete(idx);
      out.add(allocName(this.jobId, this.group, idx));
    }
    return out;
  }

  /** Whether more than one allocation holds slot `idx`. */
  isDuplicate(idx: number): boolean {
    return (this.duplicates.get(idx) ?? 0) > 0;
  }

  /** Releases one holder of slot `idx`. */
  unsetIndex(idx: number): void {
    const d = this.duplicates.get(idx);
    if (d !== undefined) {
      if (d <= 1) this.duplicates.delete(idx);
      else this.duplicates.set(idx, d - 1);
    } else {
      this.used.delete(idx);
    }
  }

  /** Marks slot `idx` as taken. */
  setIndex(idx: number): void {
    this.used.add(idx);
  }

  /** The next `n` names: free slots below count first, then from 0 upwards (as Nomad does). */
  next(n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count && out.length < n; i++) {
      if (!this.used.has(i)) {
        this.used.add(i);
        out.push(allocName(this.jobId, this.group, i));
      }
    }
    for (let i = 0; out.length < n; i++) {
      this.used.add(i);
      out.push(allocName(this.jobId, this.group, i));
    }
    return out;
  }

  /**
   * Names for `n` canaries: slots of allocations being destructively replaced first, then free
   * slots, skipping names existing canaries hold; overflow continues above count.
   */
  nextCanaries(n: number, existingNames: ReadonlySet<string>, destructiveNames: Iterable<string>): string[] {
    const out: string[] = [];
    const dIdx = [
      ...new Set([...destructiveNames].map((nm) => allocIndexFromName(nm, this.jobId, this.group))),
    ]
      .filter((i) => i < this.count)
      .sort((a, b) => a - b);
    for (const idx of dIdx) {
      if (out.length >= n) return out;
      const name = allocName(this.jobId, this.group, idx);
      if (!existingNames.has(name)) {
        out.push(name);
        this.used.add(idx);
      }
    }
    for (let idx = 0; idx < this.count && out.length < n; idx++) {
      if (this.used.has(idx)) continue;
      const name = allocName(this.jobId, this.group, idx);
      if (!existingNames.has(name)) {
        out.push(name);
        this.used.add(idx);
      }
    }
    for (let i = this.count; out.length < n; i++) out.push(allocName(this.jobId, this.group, i));
    return out;
  }
}
