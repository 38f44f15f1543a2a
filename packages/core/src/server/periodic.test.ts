import { describe, expect, it } from 'vitest';
import { nextLaunch, periodicConfigError } from './periodic.js';
import { drainDeadlinePassed } from './drainer.js';

const S = 1_000_000_000;
const JAN1 = 1_767_225_600 * S; // 2026-01-01T00:00:00Z, 09:00 in Tokyo

describe('nextLaunch', () => {
  it('reads the cron spec in the job time zone, from a reference instant', () => {
    const daily3am = { spec: '0 3 * * *', specs: [], timeZone: 'Asia/Tokyo' };
    // 03:00 Tokyo is 18:00 UTC the day before; after 09:00 Tokyo on Jan 1 the next is Jan 2 03:00 JST.
    expect(nextLaunch(daily3am, JAN1)).toBe(JAN1 + 18 * 3600 * S);
    expect(nextLaunch({ ...daily3am, timeZone: 'UTC' }, JAN1)).toBe(JAN1 + 3 * 3600 * S);
  });

  it('takes the earliest of several specs and is strictly after the reference', () => {
    const p = { spec: '', specs: ['0 12 * * *', '30 0 * * *'], timeZone: 'UTC' };
    expect(nextLaunch(p, JAN1)).toBe(JAN1 + 30 * 60 * S);
    expect(nextLaunch(p, JAN1 + 30 * 60 * S)).toBe(JAN1 + 12 * 3600 * S);
  });

  it('reports an invalid spec or time zone as a message', () => {
    expect(periodicConfigError({ spec: 'not cron', specs: [], timeZone: 'UTC' })).toMatch(/^periodic: /);
    expect(periodicConfigError({ spec: '* * * * *', specs: [], timeZone: 'Mars/Olympus' })).toMatch(
      /^periodic: /,
    );
    expect(periodicConfigError({ spec: '*/5 * * * *', specs: [], timeZone: 'Europe/Paris' })).toBeUndefined();
  });
});

describe('drainDeadlinePassed', () => {
  it('forces at once for a negative deadline, never for 0, else at the force deadline', () => {
    expect(drainDeadlinePassed({ deadline: -1, forceDeadline: 0, startedAt: 0 }, 0)).toBe(true);
    expect(drainDeadlinePassed({ deadline: 0, forceDeadline: 0, startedAt: 0 }, 1e18)).toBe(false);
    expect(drainDeadlinePassed({ deadline: 60 * S, forceDeadline: 70 * S, startedAt: 10 * S }, 69 * S)).toBe(
      false,
    );
    expect(drainDeadlinePassed({ deadline: 60 * S, forceDeadline: 70 * S, startedAt: 10 * S }, 70 * S)).toBe(
      true,
    );
  });
});
