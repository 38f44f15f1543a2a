import { describe, expect, it } from 'vitest';
import {
  nextDelay,
  nextRescheduleTimeFrom,
  rescheduleInfo,
  type ReschedulePolicyFields,
} from './reschedule.js';

const S = 1e9;
const exp: ReschedulePolicyFields = {
  attempts: 0,
  interval: 0,
  delay: 30 * S,
  delayFunction: 'exponential',
  maxDelay: 300 * S,
  unlimited: true,
};

describe('reschedule delays', () => {
  it('exponential doubles 30s -> 60s -> 120s -> 240s and caps at max_delay', () => {
    const events: { rescheduleTime: number; delay: number }[] = [];
    const seen: number[] = [];
    let t = 0;
    for (let i = 0; i < 6; i++) {
      const d = nextDelay(exp, events, t);
      seen.push(d / S);
      events.push({ rescheduleTime: t, delay: d });
      t += d;
    }
    expect(seen).toEqual([30, 60, 120, 240, 300, 300]);
  });

  it('resets to the base delay once capped and the failure came long after the last reschedule', () => {
    const events = [{ rescheduleTime: 0, delay: 300 * S }];
    expect(nextDelay(exp, events, 1000 * S)).toBe(30 * S);
  });

  it('fibonacci sums the last two delays', () => {
    const fib = { ...exp, delayFunction: 'fibonacci', delay: 5 * S, maxDelay: 100 * S };
    const events = [
      { rescheduleTime: 0, delay: 5 * S },
      { rescheduleTime: 5 * S, delay: 5 * S },
    ];
    expect(nextDelay(fib, events, 10 * S)).toBe(10 * S);
    expect(nextDelay(fib, [...events, { rescheduleTime: 15 * S, delay: 10 * S }], 20 * S)).toBe(15 * S);
  });

  it('constant keeps the base delay', () => {
    const c = { ...exp, delayFunction: 'constant' };
    expect(nextDelay(c, [{ rescheduleTime: 0, delay: 30 * S }], 1)).toBe(30 * S);
  });

  it('counts attempts within the interval', () => {
    const p = { ...exp, unlimited: false, attempts: 2, interval: 3600 * S, delayFunction: 'constant' };
    const events = [
      { rescheduleTime: 0, delay: 30 * S },
      { rescheduleTime: 4000 * S, delay: 30 * S },
    ];
    expect(rescheduleInfo(p, events, 4100 * S)).toEqual({ attempted: 1, attempts: 2 });
    expect(nextRescheduleTimeFrom(p, events, 4100 * S, 4100 * S)).toEqual({ time: 4130 * S, eligible: true });
    const full = [...events, { rescheduleTime: 4050 * S, delay: 30 * S }];
    expect(nextRescheduleTimeFrom(p, full, 4100 * S, 4100 * S).eligible).toBe(false);
    expect(nextRescheduleTimeFrom(p, undefined, 10, 10)).toEqual({ time: 10 + 30 * S, eligible: true });
  });
});
