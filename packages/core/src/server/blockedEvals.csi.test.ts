import { describe, expect, it } from 'vitest';
import { createBlockedEvals, type BlockableEval } from './blockedEvals.js';

const ev = (id: string, jobId: string, o: Partial<BlockableEval> = {}): BlockableEval => ({
  id,
  namespace: 'default',
  jobId,
  ...o,
});

describe('blocked evals: missing non-node resources (CSI volumes)', () => {
  it('releases an escaped evaluation when a volume it misses is created, not for another one', () => {
    const b = createBlockedEvals();
    b.block(
      ev('a', 'ja', { escapedComputedClass: true, missingNonNodeResources: ['csi-volume:default:vol0'] }),
    );
    b.block(ev('b', 'jb', { escapedComputedClass: true }));
    expect(b.unblockResources(['csi-volume:default:other'], 5)).toEqual([]);
    expect(b.unblockResources(['csi-volume:default:vol0'], 6).map((e) => e.id)).toEqual(['a']);
    expect(b.stats().totalBlocked).toBe(1);
  });

  it('re-enqueues at once an evaluation whose snapshot predates the volume’s creation', () => {
    const b = createBlockedEvals();
    b.unblockResources(['csi-volume:default:vol0'], 10);
    const late = ev('a', 'ja', {
      escapedComputedClass: true,
      missingNonNodeResources: ['csi-volume:default:vol0'],
      snapshotIndex: 9,
    });
    expect(b.block(late).map((e) => e.id)).toEqual(['a']);
    const fresh = { ...late, id: 'b', snapshotIndex: 10 };
    expect(b.block(fresh)).toEqual([]);
  });
});
