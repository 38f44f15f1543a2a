import { describe, expect, it } from 'vitest';
import { AllocNameIndex, allocIndexFromName, allocName } from './allocNameIndex.js';

describe('alloc names', () => {
  it('formats and parses job.group[i]', () => {
    expect(allocName('web', 'api', 3)).toBe('web.api[3]');
    expect(allocIndexFromName('web.api[3]', 'web', 'api')).toBe(3);
    expect(allocIndexFromName('web.api[12]', 'web', 'api')).toBe(12);
    expect(allocIndexFromName('x', 'web', 'api')).toBe(0);
  });

  it('next fills the lowest free slots below count first', () => {
    const idx = new AllocNameIndex('j', 'g', 5, ['j.g[0]', 'j.g[2]']);
    expect(idx.next(3)).toEqual(['j.g[1]', 'j.g[3]', 'j.g[4]']);
  });

  it('highest releases the highest taken names', () => {
    const idx = new AllocNameIndex('j', 'g', 2, ['j.g[0]', 'j.g[1]', 'j.g[2]', 'j.g[3]']);
    expect([...idx.highest(2)].sort()).toEqual(['j.g[2]', 'j.g[3]']);
    // With every slot below count taken, Nomad wraps around to slot 0.
    expect(idx.next(1)).toEqual(['j.g[0]']);
  });

  it('tracks duplicates and canary names prefer destructive slots', () => {
    const idx = new AllocNameIndex('j', 'g', 3, ['j.g[0]', 'j.g[0]', 'j.g[1]', 'j.g[2]']);
    expect(idx.isDuplicate(0)).toBe(true);
    idx.unsetIndex(0);
    expect(idx.isDuplicate(0)).toBe(false);
    const c = new AllocNameIndex('j', 'g', 3, ['j.g[0]', 'j.g[1]', 'j.g[2]']);
    expect(c.nextCanaries(2, new Set(['j.g[0]']), ['j.g[0]', 'j.g[1]', 'j.g[2]'])).toEqual([
      'j.g[1]',
      'j.g[2]',
    ]);
    expect(c.nextCanaries(1, new Set(), [])).toEqual(['j.g[3]']);
  });
});
