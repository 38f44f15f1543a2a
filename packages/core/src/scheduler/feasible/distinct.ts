import type { EvalContext } from '../context.js';
import type { GroupAsk } from '../groupAsk.js';
import { PropertySet } from './propertySet.js';

/** True unless distinct_hosts forbids node `i`: the job (or group) already has an allocation there. */
export function distinctHostsOk(ctx: EvalContext, ask: GroupAsk, i: number): boolean {
  if (ask.distinctHosts === undefined) return true;
  const counts = ctx.countsFor(ask.distinctHosts === 'job' ? '' : ask.group.name);
  return counts[i] === 0;
}

/** distinct_property counters of one group, built once per evaluation. */
export class DistinctProperties {
  private readonly sets: { set: PropertySet; limit: number }[];

  constructor(ctx: EvalContext, ask: GroupAsk) {
    this.sets = ask.distinctProperties.map((p) => ({
      set: new PropertySet(ctx, p.attribute, p.group),
      limit: p.limit,
    }));
  }

  /** Undefined when node `i` is allowed, else Nomad's filter reason. */
  violation(i: number): string | undefined {
    for (const { set, limit } of this.sets) {
      const v = set.valueOfIndex(i);
      if (v < 0) return `missing property "${set.attribute}"`;
      const used = set.counts[v]!;
      if (used >= limit) return `distinct_property: ${set.attribute}=${set.values[v]} used by ${used} allocs`;
    }
    return undefined;
  }
}
