import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLinearizable, checkRegister, type Op } from './sim/linearizability.js';

let nextId = 0;
const put = (key: string, value: string, call: number, ret: number): Op => ({
  id: nextId++,
  key,
  kind: 'put',
  value,
  call,
  ret,
});
const get = (key: string, value: string | undefined, call: number, ret: number): Op => ({
  id: nextId++,
  key,
  kind: 'get',
  value,
  call,
  ret,
});

describe('linearizability checker', () => {
  it('accepts sequential and overlapping histories that have a legal order', () => {
    expect(checkRegister([put('k', 'a', 1, 2), get('k', 'a', 3, 4)])).toBe(true);
    expect(checkRegister([get('k', undefined, 1, 2), put('k', 'a', 3, 4)])).toBe(true);
    // The read overlaps the write: either value is fine.
    expect(checkRegister([put('k', 'a', 1, 2), put('k', 'b', 3, 6), get('k', 'a', 4, 5)])).toBe(true);
    expect(checkRegister([put('k', 'a', 1, 2), put('k', 'b', 3, 6), get('k', 'b', 4, 5)])).toBe(true);
    // A write that never returned may take effect late.
    expect(checkRegister([put('k', 'a', 1, Infinity), get('k', undefined, 2, 3), get('k', 'a', 4, 5)])).toBe(
      true,
    );
    // ... or never.
    expect(
      checkRegister([put('k', 'a', 1, Infinity), get('k', undefined, 2, 3), get('k', undefined, 4, 5)]),
    ).toBe(true);
  });

  it('rejects stale reads, lost writes and reads going back in time', () => {
    // Stale read after a completed write.
    expect(checkRegister([put('k', 'a', 1, 2), get('k', undefined, 3, 4)])).toBe(false);
    // A value nobody wrote.
    expect(checkRegister([get('k', 'z', 1, 2)])).toBe(false);
    // Two sequential reads see b then a although a was overwritten by b.
    expect(
      checkRegister([put('k', 'a', 1, 2), put('k', 'b', 3, 10), get('k', 'b', 4, 5), get('k', 'a', 6, 7)]),
    ).toBe(false);
    // A pending write seen, then unseen.
    expect(checkRegister([put('k', 'a', 1, Infinity), get('k', 'a', 2, 3), get('k', undefined, 4, 5)])).toBe(
      false,
    );
  });

  it('checks keys independently and names the key that fails', () => {
    const h = [put('x', '1', 1, 2), put('y', '2', 3, 4), get('x', '1', 5, 6), get('y', undefined, 7, 8)];
    const r = checkLinearizable(h);
    expect(r.ok).toBe(false);
    expect(r.ok ? undefined : r.key).toBe('y');
    expect(checkLinearizable(h.slice(0, 3)).ok).toBe(true);
  });

  it('accepts every history produced by a real atomic register (property)', () => {
    // Simulate clients on one atomic register: each op takes effect at one instant between call
    // and return, so the history is linearizable by construction.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(4), fc.nat(4)), { maxLength: 14 }), (spec) => {
        let t = 0;
        let reg: string | undefined;
        const ops: Op[] = [];
        const open: { op: Op; effectAt: number; retAt: number }[] = [];
        spec.forEach(([isPut, d1, d2], i) => {
          const call = ++t;
          open.push({
            op: { id: i, key: 'k', kind: isPut ? 'put' : 'get', value: `v${i}`, call, ret: 0 },
            effectAt: call + d1 + 0.5,
            retAt: call + d1 + d2 + 0.7,
          });
        });
        // Replay effects in time order.
        const effects = [...open].sort((a, b) => a.effectAt - b.effectAt);
        for (const o of effects) {
          if (o.op.kind === 'put') reg = o.op.value;
          ops.push({ ...o.op, value: o.op.kind === 'put' ? o.op.value : reg, ret: o.retAt });
        }
        expect(checkRegister(ops)).toBe(true);
      }),
    );
  });

  it('rejects a history once one completed read is corrupted (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), (n) => {
        // Sequential writes v0..v(n-1), then a read returning an older value: never linearizable.
        const ops: Op[] = [];
        let t = 0;
        for (let i = 0; i < n; i++) ops.push(put('k', `v${i}`, ++t, ++t));
        ops.push(get('k', `v${n - 2}`, ++t, ++t));
        expect(checkRegister(ops)).toBe(false);
      }),
    );
  });
});
