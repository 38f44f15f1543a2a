import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharesToWeight, writeV2Limits } from './cgroups.js';

describe('cgroup v2 limits', () => {
  it('maps cpu shares to cpu.weight with the kernel conversion', () => {
    expect(sharesToWeight(2)).toBe(1);
    expect(sharesToWeight(1024)).toBe(39);
    expect(sharesToWeight(262144)).toBe(10_000);
  });

  it('writes memory.max (memory_max when set), memory.low, no swap, cpu.weight and cpuset.cpus', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsnomad-cg2-'));
    try {
      const files = ['memory.max', 'memory.swap.max', 'memory.low', 'cpu.weight', 'cpuset.cpus'];
      for (const f of files) await writeFile(join(dir, f), '');
      await writeV2Limits(dir, { memoryMB: 64, memoryMaxMB: 128, cpuMHz: 1024, cores: [0, 1] });
      const read = (f: string) => readFile(join(dir, f), 'utf8');
      expect(await read('memory.max')).toBe(String(128 * 1024 * 1024));
      expect(await read('memory.low')).toBe(String(64 * 1024 * 1024));
      expect(await read('memory.swap.max')).toBe('0');
      expect(await read('cpu.weight')).toBe('39');
      expect(await read('cpuset.cpus')).toBe('0,1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
