import { describe, expect, it } from 'vitest';
import { fitScore } from './fitScore.js';
import {
  evenSpreadBoost,
  jobAntiAffinityScore,
  netPriority,
  nodeAffinityScore,
  preemptionScore,
  targetedSpreadBoost,
} from './scores.js';

describe('fitScore (Nomad TestScoreFitBinPack: 4096 MHz / 8192 MB, 2048 / 4096 reserved)', () => {
  const cases: [string, number, number, number, number][] = [
    ['just enough hole', 2048, 4096, 18, 0],
    ['unutilized node', 0, 0, 0, 18],
    ['mid case', 1024, 2048, 13.675, 4.325],
  ];
  it.each(cases)('%s', (_name, cpu, mem, binpack, spread) => {
    const b = fitScore(4096 - 2048, 8192 - 4096, cpu, mem, 'binpack');
    const s = fitScore(4096 - 2048, 8192 - 4096, cpu, mem, 'spread');
    expect(b).toBeCloseTo(binpack, 3);
    expect(s).toBeCloseTo(spread, 3);
    expect(b + s).toBeCloseTo(18, 3);
  });
});

describe('small scorers', () => {
  it('job anti-affinity: two planned collisions of a count-4 group give -0.75', () => {
    expect(jobAntiAffinityScore(2, 4)).toBe(-0.75);
    expect(jobAntiAffinityScore(0, 4)).toBe(0);
  });
  it('node affinity normalises by the sum of |weight|', () => {
    expect(nodeAffinityScore([100, -50], [true, false])).toBeCloseTo(100 / 150);
    expect(nodeAffinityScore([100, -50], [true, true])).toBeCloseTo(50 / 150);
  });
  it('preemption score is 0.5 at net priority 2048 and falls with priority', () => {
    expect(preemptionScore(2048)).toBe(0.5);
    expect(preemptionScore(netPriority([10, 20]))).toBeGreaterThan(preemptionScore(netPriority([50, 50])));
    expect(netPriority([10, 20])).toBe(20 + 30 / 20);
  });
  it('targeted spread: 80% of 10 in dc1 with 2 existing gives 0.625, dc2 gives 0.5 (Nomad spread test)', () => {
    expect(targetedSpreadBoost(8, 3, 1)).toBe(0.625);
    expect(targetedSpreadBoost(2, 1, 1)).toBe(0.5);
  });
  it('even spread prefers the least-used value', () => {
    const counts = new Map([
      ['dc1', 1],
      ['dc2', 0],
    ]);
    expect(evenSpreadBoost(new Map(), 'dc1')).toBe(0);
    expect(evenSpreadBoost(counts, undefined)).toBe(-1);
    const two = new Map([
      ['dc1', 2],
      ['dc2', 1],
    ]);
    expect(evenSpreadBoost(two, 'dc2')).toBe(1);
    expect(evenSpreadBoost(two, 'dc1')).toBe(-1);
    expect(
      evenSpreadBoost(
        new Map([
          ['a', 1],
          ['b', 1],
        ]),
        'a',
      ),
    ).toBe(-1);
  });
});
