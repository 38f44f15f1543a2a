import type { Spread } from '../../jobspec/types.js';
import type { EvalContext } from '../context.js';
import { PropertySet } from '../feasible/propertySet.js';
import { evenSpreadBoostFrom, targetedSpreadBoost } from './scores.js';

const IMPLICIT_TARGET = '*';

interface SpreadState {
  set: PropertySet;
  weightShare: number;
  /** Desired count per value id; implicit ("*") separately. */
  desired: Map<number, number> | undefined;
  implicitDesired: number | undefined;
  /** Value ids named by targets (for the implicit bucket's use count). */
  targetIds: Set<number>;
}

/**
 * The `spread` stage for one task group: per node, the sum over spreads of the boost for the
 * node's value (Nomad's SpreadIterator). `prepare` runs once per placement; `score` is O(spreads).
 */
export class SpreadScorer {
  private readonly states: SpreadState[] = [];
  private lowestBoost = -1;
  /** Per spread, for the current placement: least / most used counts and how many values are in use. */
  private min: number[] = [];
  private max: number[] = [];
  private inUse: number[] = [];
  private implicitUsed: number[] = [];
  /** Per even spread: the boost of each value id for this placement (counts are fixed during it). */
  private evenBoost: Float64Array[] = [];
  /**
   * Fast path for the common case of one spread without targets: its set, this placement's boost
   * per value id, and the boost of a value first seen during the placement (count 0). Read by
   * the stack's ranking loop directly; written only by the constructor and prepare().
   */
  evenOnly: PropertySet | undefined;
  evenOnlyBoost: Float64Array = new Float64Array(0);
  evenOnlyUnseen = 0;

  constructor(ctx: EvalContext, group: string, count: number, spreads: readonly Spread[]) {
    let sumWeights = 0;
    for (const s of spreads) sumWeights += s.weight;
    for (const s of spreads) {
      const set = new PropertySet(ctx, s.attribute, group);
      let desired: Map<number, number> | undefined;
      let implicitDesired: number | undefined;
      const targetIds = new Set<number>();
      if (s.spreadTarget?.length) {
        desired = new Map();
        let sum = 0;
        for (const t of s.spreadTarget) {
          const d = (t.percent / 100) * count;
          const id = set.intern(t.value);
          desired.set(id, d);
          targetIds.add(id);
          sum += d;
        }
        if (sum > 0 && sum < count) implicitDesired = count - sum;
      }
      this.states.push({ set, weightShare: s.weight / sumWeights, desired, implicitDesired, targetIds });
    }
    if (this.states.length === 1 && !this.states[0]!.desired) this.evenOnly = this.states[0]!.set;
  }

  /** True when the group has any spread. */
  get active(): boolean {
    return this.states.length > 0;
  }

  /** Captures the counts this placement's scores are computed against. */
  prepare(): void {
    // lowestBoost deliberately survives placements, as in Nomad (set once per iterator).
    this.evenBoost = [];
    this.min = [];
    this.max = [];
    this.inUse = [];
    this.implicitUsed = [];
    for (const st of this.states) {
      let min = 0;
      let max = 0;
      let inUse = 0;
      let implicit = 0;
      for (let v = 0; v < st.set.counts.length; v++) {
        const c = st.set.counts[v]!;
        if (st.desired && !st.targetIds.has(v)) implicit += c;
        // Only values in use take part, as in Nomad's combined use map.
        if (c === 0) continue;
        inUse++;
        if (min === 0 || c < min) min = c;
        if (max === 0 || c > max) max = c;
      }
      this.min.push(min);
      this.max.push(max);
      this.inUse.push(inUse);
      this.implicitUsed.push(implicit);
      const boosts = new Float64Array(st.set.counts.length);
      if (!st.desired && inUse > 0) {
        for (let v = 0; v < boosts.length; v++) boosts[v] = evenSpreadBoostFrom(st.set.counts[v]!, min, max);
      }
      this.evenBoost.push(boosts);
    }
    if (this.evenOnly) {
      this.evenOnlyBoost = this.evenBoost[0]!;
      this.evenOnlyUnseen = this.inUse[0]! > 0 ? evenSpreadBoostFrom(0, this.min[0]!, this.max[0]!) : 0;
    }
  }

  /** Total spread boost of candidate node `i` (0 means "no score appended"). */
  score(i: number): number {
    const only = this.evenOnly;
    if (only) {
      // Same result as the general loop below for a single spread without targets.
      const v = only.valueOfIndex(i);
      if (v < 0) return -1;
      const boosts = this.evenOnlyBoost;
      return v < boosts.length ? boosts[v]! : this.evenOnlyUnseen;
    }
    let total = 0;
    for (let k = 0; k < this.states.length; k++) {
      const st = this.states[k]!;
      const v = st.set.valueOfIndex(i);
      if (v < 0) {
        total -= 1;
        continue;
      }
      if (!st.desired) {
        const boosts = this.evenBoost[k]!;
        if (v < boosts.length) total += boosts[v]!;
        else if (this.inUse[k]! > 0) total += evenSpreadBoostFrom(0, this.min[k]!, this.max[k]!);
        continue;
      }
      let desired = st.desired.get(v);
      let used: number;
      if (desired !== undefined) used = st.set.counts[v]! + 1;
      else if (st.implicitDesired !== undefined) {
        desired = st.implicitDesired;
        used = this.implicitUsed[k]! + 1;
      } else {
        total -= 1;
        continue;
      }
      if (desired === 0) {
        total += this.lowestBoost;
        continue;
      }
      const boost = targetedSpreadBoost(desired, used, st.weightShare);
      total += boost;
      if (boost < this.lowestBoost) this.lowestBoost = boost;
    }
    return total;
  }
}

export { IMPLICIT_TARGET };
