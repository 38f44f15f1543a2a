import type { Affinity } from '../../jobspec/types.js';
import type { Node } from '../../structs/node.js';
import { checkConstraint } from '../feasible/checkConstraint.js';
import { resolveTarget } from '../feasible/resolveTarget.js';
import { nodeAffinityScore } from './scores.js';

/** Node affinity score of a node: matching weights over the sum of |weight| (0 without affinities). Pure. */
export function affinityScore(affinities: readonly Affinity[], node: Node): number {
  const weights = affinities.map((a) => a.weight);
  const matched = affinities.map((a) =>
    checkConstraint(resolveTarget(a.ltarget, node), a.operand, resolveTarget(a.rtarget, node)),
  );
  return nodeAffinityScore(weights, matched);
}
