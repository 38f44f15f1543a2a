import type { Node } from '../structs/node.js';

/**
 * The per-node facts that do not change during an evaluation (capacity, class), as parallel
 * typed arrays. Immutable once built, so one base serves every evaluation over the same nodes.
 */
export class NodeBase {
  readonly size: number;
  readonly index = new Map<string, number>();
  /** Node IDs by index: hot loops read these instead of dereferencing node objects. */
  readonly ids: string[];
  readonly availCpu: Float64Array;
  readonly availMemory: Float64Array;
  readonly availDisk: Float64Array;
  /** Feasibility class id of each node (index into `classKeys`). */
  readonly classId: Int32Array;
  readonly classKeys: string[] = [];
  /** The node-reported computed class of each class id (for blocked-evaluation bookkeeping). */
  readonly classNames: string[] = [];
  /** The node class (`node_class`) of each class id: part of the class key, so one per class. */
  readonly classNodeClass: string[] = [];
  /** How many nodes per datacenter (the metric's nodesAvailable). */
  readonly byDatacenter: Record<string, number> = {};

  constructor(readonly nodes: readonly Node[]) {
    const n = nodes.length;
    this.size = n;
    this.ids = new Array<string>(n);
    this.availCpu = new Float64Array(n);
    this.availMemory = new Float64Array(n);
    this.availDisk = new Float64Array(n);
    this.classId = new Int32Array(n);
    const classes = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const node = nodes[i]!;
      this.index.set(node.id, i);
      this.ids[i] = node.id;
      this.byDatacenter[node.datacenter] = (this.byDatacenter[node.datacenter] ?? 0) + 1;
      const res = node.nodeResources;
      const reserved = node.reservedResources;
      this.availCpu[i] = res.cpu.cpuShares - (reserved?.cpu.cpuShares ?? 0);
      this.availMemory[i] = res.memory.memoryMB - (reserved?.memory.memoryMB ?? 0);
      this.availDisk[i] = res.disk.diskMB - (reserved?.disk.diskMB ?? 0);
      const key = feasibilityClassKey(node);
      let id = classes.get(key);
      if (id === undefined) {
        id = this.classKeys.length;
        classes.set(key, id);
        this.classKeys.push(key);
        this.classNames.push(node.computedClass || key);
        this.classNodeClass.push(node.nodeClass);
      }
      this.classId[i] = id;
    }
    // Metrics share it as their nodesAvailable.
    Object.freeze(this.byDatacenter);
  }
}

/**
 * The candidate nodes of one evaluation: the shared base plus the columns that follow the plan
 * (usage, change versions) and the evaluation's random visiting order.
 */
export class NodeTable {
  readonly size: number;
  readonly nodes: readonly Node[];
  readonly ids: readonly string[];
  readonly index: Map<string, number>;
  readonly availCpu: Float64Array;
  readonly availMemory: Float64Array;
  readonly availDisk: Float64Array;
  readonly classId: Int32Array;
  readonly classKeys: string[];
  readonly classNames: string[];
  readonly classNodeClass: string[];
  readonly byDatacenter: Readonly<Record<string, number>>;
  readonly usedCpu: Float64Array;
  readonly usedMemory: Float64Array;
  readonly usedDisk: Float64Array;
  /** 1 once the used columns of a node were computed. */
  readonly usageKnown: Uint8Array;
  /** 1 when the plan changes what the node holds (its usage needs the plan, not only the snapshot). */
  readonly planTouched: Uint8Array;
  /** Bumped whenever a node's allocations change (invalidates cached fit scores). */
  readonly version: Int32Array;
  /** Visiting order (node indexes), shuffled per evaluation for service and batch jobs. */
  readonly order: number[];

  constructor(base: NodeBase) {
    const n = base.size;
    this.size = n;
    this.nodes = base.nodes;
    this.ids = base.ids;
    this.index = base.index;
    this.availCpu = base.availCpu;
    this.availMemory = base.availMemory;
    this.availDisk = base.availDisk;
    this.classId = base.classId;
    this.classKeys = base.classKeys;
    this.classNames = base.classNames;
    this.classNodeClass = base.classNodeClass;
    this.byDatacenter = base.byDatacenter;
    this.usedCpu = new Float64Array(n);
    this.usedMemory = new Float64Array(n);
    this.usedDisk = new Float64Array(n);
    this.usageKnown = new Uint8Array(n);
    this.planTouched = new Uint8Array(n);
    this.version = new Int32Array(n);
    this.order = new Array<number>(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
  }
}

const classCache = new WeakMap<Node, string>();

/** The node's computed class as reported (`computedClass`), else its feasibility key. */
export function computedClassOf(node: Node): string {
  return node.computedClass || feasibilityClassKey(node);
}

/**
 * A key of every field feasibility reads, without per-node unique values: nodes with equal keys
 * are judged once. Computed here rather than trusting `computedClass`, whose producer may hash
 * fewer fields. Cached per node object.
 */
export function feasibilityClassKey(node: Node): string {
  let key = classCache.get(node);
  if (key === undefined) {
    const attrs = Object.keys(node.attributes)
      .filter((k) => !k.startsWith('unique.'))
      .sort()
      .map((k) => `${k}=${node.attributes[k]}`);
    const meta = Object.keys(node.meta)
      .filter((k) => !k.startsWith('unique.'))
      .sort()
      .map((k) => `${k}=${node.meta[k]}`);
    const drivers = Object.keys(node.drivers)
      .sort()
      .map((k) => `${k}:${node.drivers[k]!.detected ? 1 : 0}${node.drivers[k]!.healthy ? 1 : 0}`);
    const devices = (node.nodeResources.devices ?? []).map((d) => `${d.vendor}/${d.type}/${d.name}`);
    const volumes = Object.keys(node.hostVolumes ?? {})
      .sort()
      .map((k) => `${k}:${node.hostVolumes[k]!.readOnly ? 'ro' : 'rw'}`);
    key = JSON.stringify([
      node.datacenter,
      node.nodeClass,
      node.nodePool,
      attrs,
      meta,
      drivers,
      devices,
      volumes,
    ]);
    classCache.set(node, key);
  }
  return key;
}
