import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { formatGoDuration, HOUR, MILLISECOND, MINUTE, parseGoDuration, SECOND } from './duration.js';
import { createRng, seedFromString, uuid } from './rng.js';

describe('rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = createRng('eval-1:10');
    const b = createRng('eval-1:10');
    const c = createRng('eval-1:11');
    const xs = [a.nextUint32(), a.nextUint32(), a.nextUint32()];
    expect([b.nextUint32(), b.nextUint32(), b.nextUint32()]).toEqual(xs);
    expect(c.nextUint32()).not.toBe(xs[0]);
    expect(seedFromString('x')).toEqual(seedFromString('x'));
  });

  it('stays in range and shuffles into a permutation', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 1000 }), fc.array(fc.integer()), (seed, n, xs) => {
        const r = createRng(seed);
        const i = r.nextInt(n);
        const f = r.nextFloat();
        const shuffled = r.shuffle([...xs]);
        return (
          i >= 0 &&
          i < n &&
          Number.isInteger(i) &&
          f >= 0 &&
          f < 1 &&
          JSON.stringify([...shuffled].sort()) === JSON.stringify([...xs].sort())
        );
      }),
    );
  });

  it('rejects a bad bound', () => {
    expect(() => createRng(1).nextInt(0)).toThrow(RangeError);
  });

  it('spreads nextInt roughly uniformly', () => {
    const r = createRng(42);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40000; i++) counts[r.nextInt(4)]!++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
  });

  it('makes v4-shaped UUIDs', () => {
    const r = createRng('u');
    const ids = new Set(Array.from({ length: 100 }, () => uuid(r)));
    expect(ids.size).toBe(100);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('durations', () => {
  it('parses Go durations', () => {
    expect(parseGoDuration('1h30m')).toBe(HOUR + 30 * MINUTE);
    expect(parseGoDuration('1.5s')).toBe(1.5 * SECOND);
    expect(parseGoDuration('250ms')).toBe(250 * MILLISECOND);
    expect(parseGoDuration('-2m')).toBe(-2 * MINUTE);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('10')).toBeUndefined();
    expect(parseGoDuration('5 m')).toBeUndefined();
    expect(parseGoDuration('')).toBeUndefined();
  });

  it('formats like Go', () => {
    expect(formatGoDuration(0)).toBe('0s');
    expect(formatGoDuration(HOUR + 30 * MINUTE)).toBe('1h30m0s');
    expect(formatGoDuration(1.5 * SECOND)).toBe('1.5s');
    expect(formatGoDuration(250 * MILLISECOND)).toBe('250ms');
    expect(formatGoDuration(24 * HOUR)).toBe('24h0m0s');
    expect(formatGoDuration(-5 * SECOND)).toBe('-5s');
  });

  it('round-trips format -> parse', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        (ns) => parseGoDuration(formatGoDuration(ns)) === ns,
      ),
    );
  });
});

describe('ManualClock', () => {
  it('moves only when told', () => {
    const c = new ManualClock(5);
    expect(c.now()).toBe(5);
    c.advance(10);
    expect(c.now()).toBe(15);
    c.set(1);
    expect(c.now()).toBe(1);
  });
});
