import { describe, expect, it } from 'vitest';
import { createBlockedEvals, type BlockableEval } from './blockedEvals.js';

const ev = (id: string, jobId: string, o: Partial<BlockableEval> = {}): BlockableEval => ({
  id,
  namespace: 'default',
  jobId,
  ...o,
});

describe('blocked evals', () => {
  it('releases on a class that was eligible or unknown, never on a known-ineligible one', () => {
    const b = createBlockedEvals();
    b.block(ev('a', 'ja', { classEligibility: { gpu: true, small: false } }));
    b.block(ev('b', 'jb', { classEligibility: { small: false } }));
    expect(b.unblock('small', 10)).toEqual([]);
    expect(b.unblock('gpu', 11).map((e) => e.id)).toEqual(['a', 'b']);
    expect(b.stats().totalBlocked).toBe(0);
  });

  it('releases escaped evaluations on any change', () => {
    const b = createBlockedEvals();
    b.block(ev('a', 'ja', { escapedComputedClass: true, classEligibility: { x: false } }));
    expect(b.unblock('x', 3).map((e) => e.id)).toEqual(['a']);
  });

  it('keeps one blocked evaluation per job and reports the replaced one as cancelable', () => {
    const b = createBlockedEvals();
    b.block(ev('old', 'j'));
    b.block(ev('new', 'j'));
    expect(b.takeCancelable().map((e) => e.id)).toEqual(['old']);
    expect(b.get('default', 'j')?.id).toBe('new');
  });

  it('re-enqueues at once an evaluation whose snapshot predates a relevant capacity change', () => {
    const b = createBlockedEvals();
    b.unblock('c1', 20);
    expect(b.block(ev('late', 'j', { snapshotIndex: 15, classEligibility: { c1: true } })).length).toBe(1);
    expect(b.block(ev('fresh', 'k', { snapshotIndex: 25, classEligibility: { c1: true } }))).toEqual([]);
    expect(b.block(ev('inelig', 'm', { snapshotIndex: 15, classEligibility: { c1: false } }))).toEqual([]);
  });

  it('releases quota-blocked evaluations by quota name', () => {
    const b = createBlockedEvals();
    b.block(ev('q', 'j', { quotaLimitReached: 'team-a' }));
    b.block(ev('r', 'k', { quotaLimitReached: 'team-b' }));
    expect(b.unblockQuota('team-a').map((e) => e.id)).toEqual(['q']);
    expect(b.stats().totalQuotaLimit).toBe(1);
  });
});
