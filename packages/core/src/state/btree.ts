import BTreeImport from 'sorted-btree';

// sorted-btree is CommonJS with `exports.default`; Node's ESM loader hands us the whole
// exports object while bundlers and vitest hand us the class. Accept both.
type BTreeCtor = typeof BTreeImport;
const mod = BTreeImport as unknown as { default?: BTreeCtor };

/** The B+ tree class from sorted-btree (O(1) copy-on-write `clone()`). */
export const BTree: BTreeCtor = mod.default ?? BTreeImport;
/** The B+ tree instance type. */
export type BTree<K, V> = BTreeImport<K, V>;
