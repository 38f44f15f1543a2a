import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/state/reducer.js';
import type { Command } from '../../src/state/commands.js';
import { StateSnapshot } from '../../src/state/stateSnapshot.js';
import { restoreState, serializeState } from '../../src/state/persist.js';
import { mockAlloc, mockJob, mockNode } from '../../src/simulate/mock.js';
import type { CSIVolume } from '../../src/structs/csiVolume.js';
import { claim, csiVolume } from '../csi/fixtures.js';

function run(...cmds: Command[]): StateSnapshot {
  let s = StateSnapshot.empty();
  for (const c of cmds) {
    const r = applyCommand(s, s.index + 1, c);
    if (!r.ok) throw new Error(`${c.type} refused: ${r.error}`);
    s = r.state;
  }
  return s;
}

function refused(s: StateSnapshot, c: Command): string {
  const r = applyCommand(s, s.index + 1, c);
  expect(r.ok).toBe(false);
  expect(r.state).toBe(s);
  return r.ok ? '' : r.error;
}

const job = mockJob({ id: 'web' });
const alloc = (id: string) => mockAlloc({ id, jobId: 'web', job, nodeId: 'n1' });
// A job, a node and allocations a1, a2 in the state, so claims can name them.
const base = (): Command[] => [
  { type: 'NodeRegister', node: mockNode({ id: 'n1' }), now: 1 },
  { type: 'JobRegister', job, now: 1 },
  {
    type: 'PlanApply',
    evalId: 'e1',
    job,
    allocsUpdated: [alloc('a1'), alloc('a2')],
    allocsStopped: [],
    allocsPreempted: [],
    deploymentUpdates: [],
    now: 1,
  },
];
const register = (...volumes: CSIVolume[]): Command => ({
  type: 'CSIVolumeRegister',
  volumes: volumes.length > 0 ? volumes : [csiVolume()],
  now: 7,
});
const take = (allocId: string, over = {}): Command => ({
  type: 'CSIVolumeClaim',
  namespace: 'default',
  volumeId: 'vol0',
  claim: claim(allocId, over),
  now: 9,
});

describe('CSIVolumeRegister', () => {
  it('stores volumes with create/modify index and time', () => {
    const s = run(register());
    const v = s.csiVolumeById('default', 'vol0');
    expect(v).toMatchObject({ id: 'vol0', pluginId: 'ebs', createIndex: 1, modifyIndex: 1, createTime: 7 });
    expect(s.tableIndex('csiVolumes')).toBe(1);
  });

  it('an update keeps claims and create index', () => {
    const s = run(...base(), register(), take('a1'), register(csiVolume({ capacity: 42 })));
    const v = s.csiVolumeById('default', 'vol0')!;
    expect(v.capacity).toBe(42);
    expect(Object.keys(v.writeAllocs)).toEqual(['a1']);
    expect(v.accessMode).toBe('single-node-writer');
    expect(v.createIndex).toBe(4);
  });

  it('refuses invalid volumes and identity changes, whole', () => {
    const s = run(register());
    expect(refused(s, register(csiVolume({ id: 'ok' }), csiVolume({ id: 'bad', pluginId: '' })))).toBe(
      'volume bad: validation: missing plugin id',
    );
    expect(s.csiVolumeById('default', 'ok')).toBeUndefined();
    expect(refused(s, register(csiVolume({ pluginId: 'efs' })))).toBe(
      'volume identity cannot be updated: vol0',
    );
  });
});

describe('CSIVolumeClaim', () => {
  it('takes a claim for a known allocation', () => {
    const s = run(...base(), register(), take('a1'));
    const v = s.csiVolumeById('default', 'vol0')!;
    expect(Object.keys(v.writeAllocs)).toEqual(['a1']);
    expect(v.modifyIndex).toBe(s.index);
    expect(v.modifyTime).toBe(9);
  });

  it('refuses unknown volumes, unknown allocations and claims beyond the access mode', () => {
    const s = run(...base(), register(), take('a1'));
    expect(refused(s, { ...take('a2'), volumeId: 'nope' } as Command)).toBe('volume not found: nope');
    expect(refused(s, take('ghost'))).toBe(
      'alloc "ghost" failed to claim volume "vol0": allocation missing: ghost',
    );
    expect(refused(s, take('a2'))).toBe(
      'alloc "a2" failed to claim volume "vol0": volume max claims reached',
    );
    // A reader beside a single-node writer is refused too.
    expect(refused(s, take('a2', { mode: 0 }))).toBe(
      'alloc "a2" failed to claim volume "vol0": volume max claims reached',
    );
  });

  it('a released claim frees the volume for the next writer', () => {
    const s = run(...base(), register(), take('a1'), take('a1', { state: 3 }), take('a2'));
    expect(Object.keys(s.csiVolumeById('default', 'vol0')!.writeAllocs)).toEqual(['a2']);
  });
});

describe('CSIVolumeDeregister', () => {
  const dereg = (force = false): Command => ({
    type: 'CSIVolumeDeregister',
    namespace: 'default',
    volumeIds: ['vol0'],
    force,
  });

  it('removes an unclaimed volume; refuses unknown ones', () => {
    const s = run(register(), dereg());
    expect(s.csiVolumeById('default', 'vol0')).toBeUndefined();
    expect(refused(s, dereg())).toBe('volume not found: vol0');
  });

  it('refuses a claimed volume unless forced and every claimer is terminal', () => {
    const s = run(...base(), register(), take('a1'));
    expect(refused(s, dereg())).toBe('volume in use: vol0');
    expect(refused(s, dereg(true))).toBe('volume in use: vol0');
    const stopped = run(
      ...base(),
      register(),
      take('a1'),
      { type: 'AllocClientUpdate', allocs: [{ id: 'a1', clientStatus: 'complete' }], now: 2 },
      dereg(true),
    );
    expect(stopped.csiVolumeById('default', 'vol0')).toBeUndefined();
  });
});

it('CSI volumes survive serialize / restore', () => {
  const s = run(...base(), register(), take('a1'));
  const back = restoreState(JSON.parse(JSON.stringify(serializeState(s))));
  expect(back.csiVolumeById('default', 'vol0')).toEqual(s.csiVolumeById('default', 'vol0'));
  expect(back.tableIndex('csiVolumes')).toBe(s.tableIndex('csiVolumes'));
});
