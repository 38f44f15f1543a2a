import { describe, expect, it } from 'vitest';
import { mockAlloc } from '../../simulate/mock.js';
import type { Allocation } from '../../structs/allocation.js';
import type { CSIVolume } from '../../structs/csiVolume.js';
import type { Node } from '../../structs/node.js';
import { createSnapshot } from '../snapshot.js';
import { CSIVolumeChecker } from './csiVolumes.js';
import { claim, csiJob, csiNode, csiRequest, csiVolume, nodePlugin } from '../../../test/csi/fixtures.js';
import type { VolumeRequest } from '../../jobspec/types.js';

function check(
  node: Node,
  volumes: CSIVolume[],
  reqs: VolumeRequest[],
  o: { allocs?: Allocation[]; allocName?: string; jobId?: string } = {},
): string | undefined {
  const snap = createSnapshot({ nodes: [node], csiVolumes: volumes, allocations: o.allocs ?? [] });
  const c = new CSIVolumeChecker(snap, 'default', o.jobId ?? 'j', reqs);
  c.setVolumes(o.allocName ?? 'j.web[0]');
  return c.check(node);
}

const n1 = csiNode('n1', [nodePlugin('ebs')]);

describe('CSIVolumeChecker (Nomad filter reasons)', () => {
  it('passes a node running the healthy plugin of an unclaimed volume', () => {
    expect(check(n1, [csiVolume()], [csiRequest('vol0')])).toBeUndefined();
  });

  it('reports missing volumes, with the per_alloc index appended to the source', () => {
    expect(check(n1, [], [csiRequest('vol0')])).toBe('missing CSI volume(s) vol0');
    expect(
      check(n1, [csiVolume({ id: 'vol0[0]' })], [csiRequest('vol0', { perAlloc: true })], {
        allocName: 'j.web[1]',
      }),
    ).toBe('missing CSI volume(s) vol0[1]');
    expect(
      check(n1, [csiVolume({ id: 'vol0[1]' })], [csiRequest('vol0', { perAlloc: true })], {
        allocName: 'j.web[1]',
      }),
    ).toBeUndefined();
    expect(check(n1, [], [csiRequest('a'), csiRequest('b')])).toBe('missing CSI volume(s) a, b');
  });

  it('ignores host volumes', () => {
    expect(check(csiNode('n1'), [], [{ ...csiRequest('x'), type: 'host' }])).toBeUndefined();
  });

  it('needs the plugin on the node, healthy', () => {
    expect(check(csiNode('n1'), [csiVolume()], [csiRequest('vol0')])).toBe(
      'CSI plugin ebs is missing from client n1',
    );
    expect(
      check(csiNode('n1', [nodePlugin('ebs', { healthy: false })]), [csiVolume()], [csiRequest('vol0')]),
    ).toBe('CSI plugin ebs is unhealthy on client n1');
  });

  it("counts the volumes of the node's running allocations against the plugin's maxVolumes", () => {
    const other = csiJob('other', [csiRequest('used')]);
    const node = csiNode('n1', [nodePlugin('ebs', { maxVolumes: 1 })]);
    const vols = [csiVolume(), csiVolume({ id: 'used', externalId: 'ext-used' })];
    const running = mockAlloc({ id: 'a1', jobId: 'other', job: other, nodeId: 'n1' });
    expect(check(node, vols, [csiRequest('vol0')], { allocs: [running] })).toBe(
      'CSI plugin ebs has the maximum number of volumes on client n1',
    );
    // A stopped, finished allocation no longer counts.
    const done: Allocation = { ...running, desiredStatus: 'stop', clientStatus: 'complete' };
    expect(check(node, vols, [csiRequest('vol0')], { allocs: [done] })).toBeUndefined();
    // Volumes of another plugin do not count.
    const efs = [csiVolume(), csiVolume({ id: 'used', pluginId: 'efs' })];
    expect(check(node, efs, [csiRequest('vol0')], { allocs: [running] })).toBeUndefined();
  });

  it('needs the node topology to contain one of the volume topologies', () => {
    const vol = csiVolume({ topologies: [{ segments: { zone: 'a' } }, { segments: { zone: 'c' } }] });
    const at = (segments?: Record<string, string>) => csiNode('n1', [nodePlugin('ebs', { segments })]);
    expect(check(at({ zone: 'b' }), [vol], [csiRequest('vol0')])).toBe('did not meet topology requirement');
    expect(check(at(), [vol], [csiRequest('vol0')])).toBe('did not meet topology requirement');
    expect(check(at({ zone: 'c', rack: 'r1' }), [vol], [csiRequest('vol0')])).toBeUndefined();
  });

  it('read-only requests need a read-schedulable volume only (free reader claims are not checked)', () => {
    const ro = csiRequest('vol0', { readOnly: true });
    expect(check(n1, [csiVolume({ schedulable: false })], [ro])).toBe(
      'CSI volume vol0 is unschedulable or has exhausted its available reader claims',
    );
    expect(check(n1, [csiVolume({ resourceExhausted: 5 })], [ro])).toBe(
      'CSI volume vol0 is unschedulable or has exhausted its available reader claims',
    );
    const held = csiVolume({
      accessMode: 'single-node-reader-only',
      readAllocs: { x: claim('x', { mode: 0 }) },
    });
    expect(check(n1, [held], [ro])).toBeUndefined();
  });

  it('write requests need a writer mode', () => {
    const msg = 'CSI volume vol0 is unschedulable or is read-only';
    expect(check(n1, [csiVolume({ accessMode: 'multi-node-reader-only' })], [csiRequest('vol0')])).toBe(msg);
    const readerCaps = csiVolume({
      requestedCapabilities: [{ accessMode: 'single-node-reader-only', attachmentMode: 'file-system' }],
    });
    expect(check(n1, [readerCaps], [csiRequest('vol0')])).toBe(msg);
    expect(check(n1, [csiVolume({ schedulable: false })], [csiRequest('vol0')])).toBe(msg);
    expect(check(n1, [csiVolume({ resourceExhausted: 1 })], [csiRequest('vol0')])).toBe(msg);
  });

  it('single writer modes: a write claim by another job blocks, one by this job does not', () => {
    const otherJob = csiJob('other', [csiRequest('vol0')]);
    const holder = mockAlloc({ id: 'h1', jobId: 'other', job: otherJob, nodeId: 'n9' });
    for (const mode of ['single-node-writer', 'multi-node-single-writer']) {
      const vol = csiVolume({ accessMode: mode, writeAllocs: { h1: claim('h1', { accessMode: mode }) } });
      expect(check(n1, [vol], [csiRequest('vol0')], { allocs: [holder] })).toBe(
        'CSI volume vol0 has exhausted its available writer claims',
      );
      expect(check(n1, [vol], [csiRequest('vol0')], { allocs: [holder], jobId: 'other' })).toBeUndefined();
      // The holder was garbage collected but its claim is not released yet.
      expect(check(n1, [vol], [csiRequest('vol0')])).toBe(
        'CSI volume vol0 has exhausted its available writer claims and is claimed by a garbage collected allocation h1; waiting for claim to be released',
      );
    }
  });

  it('multi-node-multi-writer has no writer limit', () => {
    const vol = csiVolume({
      accessMode: 'multi-node-multi-writer',
      writeAllocs: { a: claim('a'), b: claim('b') },
    });
    expect(check(n1, [vol], [csiRequest('vol0')])).toBeUndefined();
  });
});
