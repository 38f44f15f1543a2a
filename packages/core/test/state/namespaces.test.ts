import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/state/reducer.js';
import type { Command } from '../../src/state/commands.js';
import { restoreState, serializeState } from '../../src/state/persist.js';
import { StateSnapshot } from '../../src/state/stateSnapshot.js';
import { mockJob, mockTaskGroup } from '../../src/simulate/mock.js';
import { csiVolume } from '../csi/fixtures.js';

function run(s: StateSnapshot, ...cmds: Command[]): StateSnapshot {
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
  // Refused whole: the very same state comes back.
  expect(r.state).toBe(s);
  return r.ok ? '' : r.error;
}

const prodJob = mockJob({ id: 'api', namespace: 'production', taskGroups: [mockTaskGroup('api', 1)] });
const register = (job = prodJob): Command => ({ type: 'JobRegister', job, now: 1 });
const apply = (name: string, description = ''): Command => ({
  type: 'NamespaceUpsert',
  namespaces: [{ name, description }],
});

describe('namespaces', () => {
  it('default always exists; other namespaces only once applied', () => {
    const s = StateSnapshot.empty();
    expect(s.namespaceByName('default')?.description).toBe('Default shared namespace');
    expect(s.namespaces().map((n) => n.name)).toEqual(['default']);
    expect(refused(s, register())).toBe('job "api" is in nonexistent namespace "production"');
    const withNs = run(s, apply('production', 'Production environment'));
    expect(withNs.namespaceByName('production')).toEqual({
      name: 'production',
      description: 'Production environment',
      meta: {},
      createIndex: 1,
      modifyIndex: 1,
    });
    expect(withNs.namespaces().map((n) => n.name)).toEqual(['default', 'production']);
    const withJob = run(withNs, register());
    expect(withJob.jobById('production', 'api')?.namespace).toBe('production');
  });

  it("refuses invalid names and descriptions with Nomad's wording, whole", () => {
    const s = run(StateSnapshot.empty(), apply('staging'));
    expect(
      refused(s, { type: 'NamespaceUpsert', namespaces: [{ name: 'ok-too' }, { name: 'bad name!' }] }),
    ).toBe('invalid name "bad name!". Must match regex ^[a-zA-Z0-9-]{1,128}$');
    expect(refused(s, apply('x'.repeat(129)))).toMatch(/^invalid name "x{129}"/);
    expect(refused(s, apply('long', 'd'.repeat(257)))).toBe('description longer than 256');
    // An update keeps the create index.
    const updated = run(s, apply('staging', 'Staging environment'));
    expect(updated.namespaceByName('staging')).toMatchObject({
      description: 'Staging environment',
      createIndex: 1,
      modifyIndex: 2,
    });
  });

  it('deletes only an empty namespace, never default', () => {
    const s = run(StateSnapshot.empty(), apply('production'), register());
    expect(refused(s, { type: 'NamespaceDelete', names: ['default'] })).toBe(
      'default namespace can not be deleted',
    );
    expect(refused(s, { type: 'NamespaceDelete', names: ['nope'] })).toBe('namespace not found');
    expect(refused(s, { type: 'NamespaceDelete', names: ['production'] })).toBe(
      'namespace "production" contains at least one non-terminal job "api". ' +
        'All jobs must be terminal in namespace before it can be deleted',
    );
    // Purged, the namespace can go; a job can not come back into it.
    const purged = run(s, {
      type: 'JobDeregister',
      namespace: 'production',
      jobId: 'api',
      purge: true,
      now: 2,
    });
    const deleted = run(purged, { type: 'NamespaceDelete', names: ['production'] });
    expect(deleted.namespaceByName('production')).toBeUndefined();
    expect(refused(deleted, register())).toBe('job "api" is in nonexistent namespace "production"');
  });

  it('holds CSI volumes to the same rule, and keeps namespaces across a restore', () => {
    const s = StateSnapshot.empty();
    const vol = csiVolume({ id: 'db', namespace: 'production' });
    expect(refused(s, { type: 'CSIVolumeRegister', volumes: [vol], now: 1 })).toBe(
      'volume db is in nonexistent namespace production',
    );
    const withVol = run(s, apply('production'), { type: 'CSIVolumeRegister', volumes: [vol], now: 1 });
    expect(refused(withVol, { type: 'NamespaceDelete', names: ['production'] })).toBe(
      'namespace "production" contains at least one CSI volume "db". ' +
        'All CSI volumes in namespace must be deleted before it can be deleted',
    );
    const restored = restoreState(JSON.parse(JSON.stringify(serializeState(withVol))));
    expect(restored.namespaces()).toEqual(withVol.namespaces());
  });
});
