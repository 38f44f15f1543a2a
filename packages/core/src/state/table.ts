import { BTree } from './btree.js';

/**
 * A secondary index over a table: `key(row)` gives the indexed value (or `undefined` to leave the
 * row out). Rows sharing a value are scanned in primary-key order.
 */
export interface IndexDef<V> {
  readonly name: string;
  readonly key: (row: V) => string | undefined;
}

// Compound keys `value SEP id` keep one B+ tree per index; a prefix scan is a range scan.
const SEP = '\u0000';
const SEP_END = '\u0001';

interface IndexState<V> {
  readonly def: IndexDef<V>;
  readonly tree: BTree<string, V>;
}

/**
 * An immutable, structurally shared table of rows keyed by a string id, with secondary indexes.
 * Reading is free; writing goes through {@link Table.edit}, which clones every tree in O(1)
 * (copy-on-write B+ trees from `sorted-btree`) and then touches O(log n) nodes per changed row.
 * Pure: a Table value never changes once built.
 */
export class Table<V> {
  private constructor(
    readonly name: string,
    private readonly primaryKey: (row: V) => string,
    private readonly rows: BTree<string, V>,
    private readonly indexes: ReadonlyMap<string, IndexState<V>>,
    /** Raft index of the last write to this table (for blocking queries). */
    readonly modifyIndex: number,
  ) {}

  /**
   * An empty table.
   * @example const jobs = Table.empty<Job>('jobs', (j) => j.id, [{ name: 'type', key: (j) => j.type }]);
   */
  static empty<V>(
    name: string,
    primaryKey: (row: V) => string,
    indexes: readonly IndexDef<V>[] = [],
  ): Table<V> {
    const map = new Map<string, IndexState<V>>();
    for (const def of indexes) map.set(def.name, { def, tree: new BTree<string, V>() });
    return new Table(name, primaryKey, new BTree<string, V>(), map, 0);
  }

  /** Number of rows. O(1). */
  get size(): number {
    return this.rows.size;
  }

  /** The row with this id, if any. O(log n). */
  get(id: string): V | undefined {
    return this.rows.get(id);
  }

  /** Whether a row with this id exists. O(log n). */
  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** All rows in id order. */
  values(): IterableIterator<V> {
    return this.rows.values();
  }

  /** Rows whose id starts with `prefix`, in id order (Nomad's prefix lookups). */
  byPrefix(prefix: string): V[] {
    const out: V[] = [];
    this.rows.forRange(prefix, prefix + '\uffff', true, (_k, v) => {
      out.push(v);
    });
    return out;
  }

  /** Rows whose index `name` has the value `value`, in id order. O(log n + k). */
  lookup(name: string, value: string): V[] {
    const ix = this.indexes.get(name);
    if (!ix) throw new Error(`table ${this.name} has no index ${name}`);
    const out: V[] = [];
    ix.tree.forRange(value + SEP, value + SEP_END, false, (_k, v) => {
      out.push(v);
    });
    return out;
  }

  /** Number of rows whose index `name` has the value `value`. */
  count(name: string, value: string): number {
    const ix = this.indexes.get(name);
    if (!ix) throw new Error(`table ${this.name} has no index ${name}`);
    return ix.tree.forRange(value + SEP, value + SEP_END, false);
  }

  /** The same rows stamped with another modify index (restoring a snapshot). */
  withModifyIndex(index: number): Table<V> {
    return new Table(this.name, this.primaryKey, this.rows, this.indexes, index);
  }

  /** A writer over O(1) clones of this table's trees; `commit(index)` yields the new Table. */
  edit(): TableWriter<V> {
    return new TableWriter(this, this.name, this.primaryKey, this.rows.clone(), this.cloneIndexes());
  }

  private cloneIndexes(): Map<string, { def: IndexDef<V>; tree: BTree<string, V> }> {
    const m = new Map<string, { def: IndexDef<V>; tree: BTree<string, V> }>();
    for (const [k, v] of this.indexes) m.set(k, { def: v.def, tree: v.tree.clone() });
    return m;
  }

  /** @internal used by TableWriter. */
  static build<V>(
    name: string,
    primaryKey: (row: V) => string,
    rows: BTree<string, V>,
    indexes: ReadonlyMap<string, IndexState<V>>,
    modifyIndex: number,
  ): Table<V> {
    return new Table(name, primaryKey, rows, indexes, modifyIndex);
  }
}

/** Mutable view used inside one reducer step; never escapes it. */
export class TableWriter<V> {
  private changed = false;
  constructor(
    private readonly base: Table<V>,
    private readonly name: string,
    private readonly primaryKey: (row: V) => string,
    private readonly rows: BTree<string, V>,
    private readonly indexes: Map<string, { def: IndexDef<V>; tree: BTree<string, V> }>,
  ) {}

  get(id: string): V | undefined {
    return this.rows.get(id);
  }

  lookup(name: string, value: string): V[] {
    const ix = this.indexes.get(name);
    if (!ix) throw new Error(`table ${this.name} has no index ${name}`);
    const out: V[] = [];
    ix.tree.forRange(value + SEP, value + SEP_END, false, (_k, v) => {
      out.push(v);
    });
    return out;
  }

  values(): IterableIterator<V> {
    return this.rows.values();
  }

  /** Rows whose id starts with `prefix`, in id order. */
  lookupPrefix(prefix: string): V[] {
    const out: V[] = [];
    this.rows.forRange(prefix, prefix + '\uffff', true, (_k, v) => {
      out.push(v);
    });
    return out;
  }

  /** Inserts or replaces the row with the same id. */
  put(row: V): void {
    this.replace(row, this.rows.get(this.primaryKey(row)));
  }

  /**
   * Like `put` when the caller has just read the current row (`old`, undefined when absent) in
   * this writer: saves a second lookup. A wrong `old` corrupts the indexes.
   */
  replace(row: V, old: V | undefined): void {
    const id = this.primaryKey(row);
    for (const ix of this.indexes.values()) {
      const ov = old === undefined ? undefined : ix.def.key(old);
      const nv = ix.def.key(row);
      if (ov !== undefined && ov !== nv) ix.tree.delete(ov + SEP + id);
      if (nv !== undefined) ix.tree.set(nv + SEP + id, row);
    }
    this.rows.set(id, row);
    this.changed = true;
  }

  /** Inserts `row` unless a row with its id exists (then changes nothing); true when inserted. */
  insertIfAbsent(row: V): boolean {
    const id = this.primaryKey(row);
    // One descent: sorted-btree's set without overwrite reports whether the key was new.
    if (!this.rows.set(id, row, false)) return false;
    for (const ix of this.indexes.values()) {
      const nv = ix.def.key(row);
      if (nv !== undefined) ix.tree.set(nv + SEP + id, row);
    }
    this.changed = true;
    return true;
  }

  /** Removes the row with this id; returns whether it existed. */
  delete(id: string): boolean {
    const old = this.rows.get(id);
    if (old === undefined) return false;
    for (const ix of this.indexes.values()) {
      const ov = ix.def.key(old);
      if (ov !== undefined) ix.tree.delete(ov + SEP + id);
    }
    this.rows.delete(id);
    this.changed = true;
    return true;
  }

  /** The resulting table: the base itself when nothing changed, else stamped with `index`. */
  commit(index: number): Table<V> {
    if (!this.changed) return this.base;
    return Table.build(this.name, this.primaryKey, this.rows, this.indexes, index);
  }
}
