import type { Constraint } from '../../jobspec/types.js';
import { targetEscapesClass } from './resolveTarget.js';

/** Class verdicts: not judged yet, eligible, ineligible. */
export const UNKNOWN = 0;
export const ELIGIBLE = 1;
export const INELIGIBLE = 2;

/**
 * Feasibility verdicts cached per computed node class (Nomad's EvalEligibility): equal nodes are
 * judged once. A constraint list that names per-node unique values "escapes" the cache.
 */
export class ClassEligibility {
  readonly verdicts: Uint8Array;
  readonly escaped: boolean;

  /** `alwaysEscaped`: the group asks for something no class can vouch for (CSI volumes, as in Nomad). */
  constructor(classCount: number, constraints: readonly Constraint[], alwaysEscaped = false) {
    this.verdicts = new Uint8Array(classCount);
    this.escaped =
      alwaysEscaped ||
      constraints.some((c) => targetEscapesClass(c.ltarget) || targetEscapesClass(c.rtarget));
  }
}
