import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Table } from './table.js';

interface Row {
  id: string;
  node: string;
  job?: string;
}

const empty = () =>
  Table.empty<Row>('allocs', (r) => r.id, [
    { name: 'node', key: (r) => r.node },
    { name: 'job', key: (r) => r.job },
  ]);

describe('Table', () => {
  it('puts, gets and looks rows up by index in id order', () => {
    const w = empty().edit();
    w.put({ id: 'b', node: 'n1', job: 'j' });
    w.put({ id: 'a', node: 'n1' });
    w.put({ id: 'c', node: 'n2', job: 'j' });
    const t = w.commit(5);
    expect(t.size).toBe(3);
    expect(t.modifyIndex).toBe(5);
    expect(t.lookup('node', 'n1').map((r) => r.id)).toEqual(['a', 'b']);
    expect(t.lookup('job', 'j').map((r) => r.id)).toEqual(['b', 'c']);
    expect(t.count('node', 'n2')).toBe(1);
    expect(t.byPrefix('b').map((r) => r.id)).toEqual(['b']);
  });

  it('moves index entries when an indexed field changes and drops them on delete', () => {
    let t = empty().edit();
    t.put({ id: 'a', node: 'n1', job: 'j' });
    const t1 = t.commit(1);
    t = t1.edit();
    t.put({ id: 'a', node: 'n2' });
    const t2 = t.commit(2);
    expect(t2.lookup('node', 'n1')).toEqual([]);
    expect(t2.lookup('job', 'j')).toEqual([]);
    expect(t2.lookup('node', 'n2').map((r) => r.id)).toEqual(['a']);
    const w = t2.edit();
    expect(w.delete('a')).toBe(true);
    expect(w.delete('a')).toBe(false);
    const t3 = w.commit(3);
    expect(t3.size).toBe(0);
    expect(t3.lookup('node', 'n2')).toEqual([]);
  });

  it('never changes an earlier version (structural sharing is copy-on-write)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.constantFrom('n1', 'n2'), fc.boolean())),
        (ops) => {
          let t = empty();
          const versions: { t: Table<Row>; model: Map<string, Row> }[] = [];
          const model = new Map<string, Row>();
          for (const [id, node, del] of ops) {
            const w = t.edit();
            if (del) {
              w.delete(id);
              model.delete(id);
            } else {
              w.put({ id, node });
              model.set(id, { id, node });
            }
            t = w.commit(versions.length + 1);
            versions.push({ t, model: new Map(model) });
          }
          for (const v of versions) {
            expect([...v.t.values()]).toEqual([...v.model.values()].sort((x, y) => (x.id < y.id ? -1 : 1)));
            for (const n of ['n1', 'n2']) {
              expect(v.t.lookup('node', n).map((r) => r.id)).toEqual(
                [...v.model.values()]
                  .filter((r) => r.node === n)
                  .map((r) => r.id)
                  .sort(),
              );
            }
          }
        },
      ),
    );
  });

  it('keeps the same table when a writer changed nothing', () => {
    const t = empty();
    expect(t.edit().commit(9)).toBe(t);
  });

  it('fails loudly on an unknown index', () => {
    expect(() => empty().lookup('nope', 'x')).toThrow(/no index nope/);
  });
});
