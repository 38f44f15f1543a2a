import { describe, expect, it } from 'vitest';
import {
  basicResourceDistance,
  preemptForTaskGroup,
  type PreemptionCandidate,
} from './preemptForTaskGroup.js';

describe('basicResourceDistance (Nomad TestResourceDistance)', () => {
  const ask = { cpu: 2048, memoryMB: 512, diskMB: 4096 };
  const cases: [number, number, number, string][] = [
    [2048, 512, 4096, '0.000'],
    [1024, 400, 1024, '0.928'],
    [8192, 200, 1024, '3.152'],
    [2048, 500, 4096, '0.023'],
  ];
  it.each(cases)('cpu %d mem %d disk %d -> %s', (cpu, memoryMB, diskMB, want) => {
    expect(basicResourceDistance(ask, { cpu, memoryMB, diskMB }).toFixed(3)).toBe(want);
  });
});

function cand(id: string, priority: number, cpu: number, memoryMB: number, extra = {}): PreemptionCandidate {
  return {
    id,
    priority,
    resources: { cpu, memoryMB, diskMB: 0 },
    maxParallel: 0,
    alreadyPreempted: 0,
    ...extra,
  };
}

describe('preemptForTaskGroup', () => {
  it('never evicts a job within 10 priority points', () => {
    const out = preemptForTaskGroup(
      50,
      { cpu: 1000, memoryMB: 1000, diskMB: 0 },
      { cpu: 0, memoryMB: 0, diskMB: 0 },
      [cand('a', 41, 2000, 2000), cand('b', 50, 2000, 2000)],
    );
    expect(out).toBeUndefined();
  });
  it('returns undefined when evicting every lower job is not enough', () => {
    const out = preemptForTaskGroup(
      100,
      { cpu: 5000, memoryMB: 100, diskMB: 0 },
      { cpu: 0, memoryMB: 0, diskMB: 0 },
      [cand('a', 30, 1000, 1000), cand('b', 40, 1000, 1000)],
    );
    expect(out).toBeUndefined();
  });
  it('prefers the lowest priority, then the closest fit', () => {
    const out = preemptForTaskGroup(
      100,
      { cpu: 1000, memoryMB: 1000, diskMB: 0 },
      { cpu: 0, memoryMB: 0, diskMB: 0 },
      [cand('hi', 80, 1000, 1000), cand('big', 30, 4000, 4000), cand('exact', 30, 1000, 1000)],
    );
    expect(out?.map((c) => c.id)).toEqual(['exact']);
  });
  it('penalises groups already at their max_parallel', () => {
    const out = preemptForTaskGroup(
      100,
      { cpu: 1000, memoryMB: 1000, diskMB: 0 },
      { cpu: 0, memoryMB: 0, diskMB: 0 },
      [cand('busy', 30, 1000, 1000, { maxParallel: 1, alreadyPreempted: 1 }), cand('other', 30, 1500, 1500)],
    );
    expect(out?.map((c) => c.id)).toEqual(['other']);
  });
  it('drops picks made unnecessary by a later one', () => {
    const out = preemptForTaskGroup(
      100,
      { cpu: 2000, memoryMB: 2000, diskMB: 0 },
      { cpu: 0, memoryMB: 0, diskMB: 0 },
      [cand('tiny', 30, 100, 100), cand('huge', 40, 4000, 4000)],
    );
    // Both are picked (lowest priority first); the farthest from the ask is tried first and suffices.
    expect(out?.map((c) => c.id)).toEqual(['huge']);
  });
});
