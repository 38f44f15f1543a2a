import type { Job, TaskGroup } from '../../src/jobspec/types.js';
import { EvalContext, emptyPlan, type PlacementConfig } from '../../src/scheduler/context.js';
import { createSnapshot, type SnapshotInput } from '../../src/scheduler/snapshot.js';
import { createStack, type StackKind } from '../../src/scheduler/stack.js';
import { mockAlloc } from '../../src/simulate/mock.js';
import type { Allocation } from '../../src/structs/allocation.js';
import type { Node } from '../../src/structs/node.js';
import { createRng } from '../../src/util/rng.js';

export const BINPACK: PlacementConfig = {
  algorithm: 'binpack',
  preemption: false,
  memoryOversubscription: false,
  nodeLimitForFeasibility: 100,
};

/** A context + stack over plain inputs. */
export function setup(
  job: Job,
  input: SnapshotInput,
  opts: { config?: Partial<PlacementConfig>; seed?: number; kind?: StackKind } = {},
) {
  const snapshot = createSnapshot({ jobs: [job], ...input });
  const ctx = new EvalContext(
    snapshot,
    job,
    emptyPlan('eval-1', job, snapshot.latestIndex()),
    createRng(opts.seed ?? 1),
    { ...BINPACK, ...opts.config },
  );
  const stack = createStack(ctx, opts.kind ?? (job.type as StackKind));
  return { snapshot, ctx, stack };
}

let n = 0;
/** Places `count` allocations of `group` one by one, appending each to the plan. */
export function placeAll(s: ReturnType<typeof setup>, group: TaskGroup, count: number): (Node | undefined)[] {
  const out: (Node | undefined)[] = [];
  for (let k = 0; k < count; k++) {
    const sel = s.stack.select(group);
    out.push(sel.node);
    if (!sel.node) continue;
    const alloc: Allocation = mockAlloc({
      id: `alloc-${++n}`,
      jobId: s.ctx.job.id,
      job: s.ctx.job,
      taskGroup: group.name,
      nodeId: sel.node.id,
      allocatedResources: sel.resources,
    });
    for (const v of sel.preemptedAllocs) s.ctx.appendPreempted(v, alloc.id);
    s.ctx.appendAlloc(alloc);
  }
  return out;
}
