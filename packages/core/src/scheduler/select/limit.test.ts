import { describe, expect, it } from 'vitest';
import { LimitSelector, selectionLimit } from './limit.js';

describe('LimitSelector', () => {
  it('keeps the first maximum among `limit` candidates', () => {
    const s = new LimitSelector(3);
    s.offer(1, 0.5);
    s.offer(2, 0.9);
    s.offer(3, 0.9);
    expect(s.full).toBe(true);
    expect(s.best).toBe(2);
  });
  it('sets aside up to three non-positive scores and uses them only when the source runs out', () => {
    const s = new LimitSelector(2);
    s.offer(1, 0);
    s.offer(2, -0.5);
    s.offer(3, -0.1);
    s.offer(4, -0.2); // skip list full: taken
    expect(s.best).toBe(4);
    expect(s.full).toBe(false);
    s.finish();
    expect(s.full).toBe(true);
    expect(s.best).toBe(1);
  });
});

describe('selectionLimit', () => {
  it('follows Nomad: batch 2, service log2, spread/affinity max(count, 100)', () => {
    expect(selectionLimit(true, 10000, 5, false)).toBe(2);
    expect(selectionLimit(false, 10000, 5, false)).toBe(14);
    expect(selectionLimit(false, 3, 5, false)).toBe(2);
    expect(selectionLimit(false, 10000, 5, true)).toBe(100);
    expect(selectionLimit(false, 10000, 1200, true)).toBe(1200);
  });
});
