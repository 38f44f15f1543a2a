import { describe, expect, it } from 'vitest';
import { claim, csiVolume } from '../../test/csi/fixtures.js';
import {
  allocSuffix,
  claimCSIVolume,
  csiHasFreeReadClaims,
  csiHasFreeWriteClaims,
  csiTopologyMatchFound,
  csiVolumeValidationError,
  csiWriteSchedulable,
  type CSIVolume,
} from './csiVolume.js';

describe('CSI volume claim rules', () => {
  it('free claims per access mode', () => {
    const r = { x: claim('x', { mode: 0 }) };
    const w = { y: claim('y') };
    const v = (accessMode: string, o: Partial<CSIVolume> = {}) => csiVolume({ accessMode, ...o });
    expect(csiHasFreeReadClaims(v('single-node-reader-only'))).toBe(true);
    expect(csiHasFreeReadClaims(v('single-node-reader-only', { readAllocs: r }))).toBe(false);
    expect(csiHasFreeReadClaims(v('single-node-writer', { writeAllocs: w }))).toBe(false);
    expect(csiHasFreeReadClaims(v('multi-node-reader-only', { readAllocs: r }))).toBe(true);
    expect(csiHasFreeWriteClaims(v('single-node-writer', { writeAllocs: w }))).toBe(false);
    expect(csiHasFreeWriteClaims(v('multi-node-single-writer', { writeAllocs: w }))).toBe(false);
    expect(csiHasFreeWriteClaims(v('multi-node-single-writer', { readAllocs: r }))).toBe(true);
    expect(csiHasFreeWriteClaims(v('multi-node-multi-writer', { writeAllocs: w }))).toBe(true);
    expect(csiHasFreeWriteClaims(v('multi-node-reader-only'))).toBe(false);
    expect(csiHasFreeWriteClaims(v(''))).toBe(true);
  });

  it('write-schedulable: current writer mode, or a writer capability while unclaimed', () => {
    expect(csiWriteSchedulable(csiVolume())).toBe(true);
    expect(csiWriteSchedulable(csiVolume({ accessMode: 'single-node-reader-only' }))).toBe(false);
    expect(
      csiWriteSchedulable(
        csiVolume({ requestedCapabilities: [{ accessMode: 'multi-node-reader-only', attachmentMode: '' }] }),
      ),
    ).toBe(false);
  });

  it('topology match: every segment of one volume topology on the node', () => {
    expect(csiTopologyMatchFound({ segments: { zone: 'a', rack: '1' } }, [{ segments: { zone: 'a' } }])).toBe(
      true,
    );
    expect(csiTopologyMatchFound({ segments: { zone: 'a' } }, [{ segments: { zone: 'a', rack: '1' } }])).toBe(
      false,
    );
    expect(csiTopologyMatchFound(undefined, [{ segments: { zone: 'a' } }])).toBe(false);
    expect(csiTopologyMatchFound({ segments: {} }, [])).toBe(false);
  });

  it('allocSuffix', () => {
    expect(allocSuffix('j.web[12]')).toBe('[12]');
    expect(allocSuffix('nobrackets')).toBe('');
  });

  it('validation errors in Nomad words', () => {
    expect(csiVolumeValidationError(csiVolume())).toBeUndefined();
    expect(csiVolumeValidationError(csiVolume({ id: '', pluginId: '', requestedCapabilities: [] }))).toBe(
      'validation: missing volume id, missing plugin id, must include at least one capability block',
    );
  });
});

describe('claimCSIVolume', () => {
  it('the first claim sets the modes; a second single-node writer is refused', () => {
    const v1 = claimCSIVolume(csiVolume(), claim('a1'), true);
    if (typeof v1 === 'string') throw new Error(v1);
    expect(v1.accessMode).toBe('single-node-writer');
    expect(v1.attachmentMode).toBe('file-system');
    expect(Object.keys(v1.writeAllocs)).toEqual(['a1']);
    expect(claimCSIVolume(v1, claim('a2'), true)).toBe('volume max claims reached');
    // Claiming again with the same allocation is a no-op.
    expect(claimCSIVolume(v1, claim('a1'), true)).toEqual(v1);
  });

  it('refuses unknown allocations, unschedulable volumes and attachment mode changes', () => {
    expect(claimCSIVolume(csiVolume(), claim('a1'), false)).toBe('allocation missing: a1');
    expect(claimCSIVolume(csiVolume({ schedulable: false }), claim('a1'), true)).toBe(
      'volume is currently unschedulable',
    );
    expect(
      claimCSIVolume(
        csiVolume({ attachmentMode: 'file-system' }),
        claim('a1', { attachmentMode: 'block-device' }),
        true,
      ),
    ).toBe('cannot change attachment mode of claimed volume');
  });

  it('release: other states park the claim in pastClaims; ready-to-free removes it and clears modes', () => {
    const v1 = claimCSIVolume(csiVolume(), claim('a1'), true) as CSIVolume;
    const parked = claimCSIVolume(v1, claim('a1', { state: 1 }), true) as CSIVolume;
    expect(Object.keys(parked.pastClaims)).toEqual(['a1']);
    expect(parked.accessMode).toBe('single-node-writer');
    const freed = claimCSIVolume(parked, claim('a1', { state: 3 }), true) as CSIVolume;
    expect(freed.writeAllocs).toEqual({});
    expect(freed.pastClaims).toEqual({});
    expect(freed.accessMode).toBe('');
    expect(freed.attachmentMode).toBe('');
    // The input was not modified.
    expect(Object.keys(v1.writeAllocs)).toEqual(['a1']);
  });
});
