import type { Node } from '../../structs/node.js';
import type { EvalContext } from '../context.js';
import { resolveTarget } from './resolveTarget.js';

/**
 * How many of the job's live allocations (of one group, or all) sit on nodes with each value of
 * a node attribute — the counter behind `distinct_property` and `spread` (Nomad's propertySet).
 * Values are interned; each candidate node's value id is resolved once, so reads are O(1).
 * Kept current through the context's plan-change events.
 */
export class PropertySet {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  /** Use count per value id. */
  counts: number[] = [];
  /** Value id per candidate node index; -2 unresolved (call valueOfIndex), -1 missing. */
  readonly nodeValue: Int32Array;

  constructor(
    private readonly ctx: EvalContext,
    readonly attribute: string,
    /** Group filter; '' counts every group of the job. */
    readonly group: string,
  ) {
    this.nodeValue = new Int32Array(ctx.table.size).fill(-2);
    for (const a of ctx.jobAllocs(group)) this.add(a.nodeId, 1);
    ctx.onChange((alloc, _i, delta) => {
      if (group === '' || alloc.taskGroup === group) this.add(alloc.nodeId, delta);
    });
  }

  /** The value id of candidate node `i`, or -1 when the node lacks the attribute. */
  valueOfIndex(i: number): number {
    let v = this.nodeValue[i]!;
    if (v === -2) {
      v = this.intern(resolveTarget(this.attribute, this.ctx.table.nodes[i]!));
      this.nodeValue[i] = v;
    }
    return v;
  }

  /** Interns a value (undefined = missing → -1). */
  intern(value: string | undefined): number {
    if (value === undefined) return -1;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
      this.counts.push(0);
    }
    return id;
  }

  /** Value id for any node (candidate or not). */
  valueOfNode(node: Node): number {
    const i = this.ctx.table.index.get(node.id);
    return i !== undefined ? this.valueOfIndex(i) : this.intern(resolveTarget(this.attribute, node));
  }

  private add(nodeId: string, delta: number): void {
    const node = this.ctx.snapshot.nodeById(nodeId);
    const i = this.ctx.table.index.get(nodeId);
    const v = i !== undefined ? this.valueOfIndex(i) : node ? this.valueOfNode(node) : -1;
    if (v >= 0) this.counts[v] = Math.max(0, this.counts[v]! + delta);
  }
}
