import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/state/commands.js';
import { applyCommand } from '../../src/state/reducer.js';
import { StateSnapshot } from '../../src/state/stateSnapshot.js';
import { mockAlloc, mockJob } from '../../src/simulate/mock.js';
import type { CSIVolume } from '../../src/structs/csiVolume.js';
import type { Allocation } from '../../src/structs/allocation.js';
import type { Node } from '../../src/structs/node.js';
import { setup } from '../scheduler/helpers.js';
import { claim, csiJob, csiNode, csiRequest, csiVolume, nodePlugin } from './fixtures.js';

const MODES = [
  '',
  'single-node-reader-only',
  'single-node-writer',
  'multi-node-reader-only',
  'multi-node-single-writer',
  'multi-node-multi-writer',
];
const WRITERS = ['single-node-writer', 'multi-node-single-writer', 'multi-node-multi-writer'];

const scenarioArb = fc.record({
  nodes: fc.array(
    fc.record({
      plugin: fc.boolean(),
      healthy: fc.boolean(),
      maxVolumes: fc.integer({ min: 0, max: 3 }),
      zone: fc.constantFrom('a', 'b', undefined),
      // Running allocations of another job, each with its own volume of the same plugin.
      using: fc.integer({ min: 0, max: 3 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  accessMode: fc.constantFrom(...MODES),
  capability: fc.constantFrom(...MODES.slice(1)),
  zoned: fc.boolean(),
  schedulable: fc.boolean(),
  exhausted: fc.boolean(),
  holders: fc.subarray(['h-other', 'h-self', 'h-gone']),
  readOnly: fc.boolean(),
});

/** The CSI rules written out once more, independently of the checker, for the oracle. */
function mountable(node: Node, vol: CSIVolume, readOnly: boolean, using: number): boolean {
  const p = node.csiNodePlugins[vol.pluginId];
  if (!p || !p.healthy || using >= (p.nodeInfo?.maxVolumes ?? 0)) return false;
  if (vol.topologies.length > 0) {
    const seg = p.nodeInfo?.accessibleTopology?.segments;
    if (!seg || !vol.topologies.some((t) => Object.entries(t.segments).every(([k, v]) => seg[k] === v)))
      return false;
  }
  if (!vol.schedulable || vol.resourceExhausted !== 0) return false;
  if (readOnly) return true;
  const mode =
    vol.accessMode || (WRITERS.includes(vol.requestedCapabilities[0]!.accessMode) ? 'unclaimed' : '');
  if (mode !== 'unclaimed' && !WRITERS.includes(mode)) return false;
  // Single writer modes: only this job's own (live) allocation may hold the write claim.
  if (mode === 'single-node-writer' || mode === 'multi-node-single-writer')
    return Object.keys(vol.writeAllocs).every((h) => h === 'h-self');
  return true;
}

describe('CSI feasibility (property)', () => {
  it('every chosen node satisfies the CSI rules, and a node is chosen whenever one does', () => {
    let placedRuns = 0;
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const other = csiJob(
          'other',
          [0, 1, 2].map((k) => csiRequest(`used${k}`, { readOnly: true })),
        );
        const self = csiJob('j', [csiRequest('vol0', { readOnly: sc.readOnly })]);
        const vol = csiVolume({
          accessMode: sc.accessMode,
          requestedCapabilities: [{ accessMode: sc.capability, attachmentMode: 'file-system' }],
          topologies: sc.zoned ? [{ segments: { zone: 'a' } }] : [],
          schedulable: sc.schedulable,
          resourceExhausted: sc.exhausted ? 1 : 0,
          writeAllocs: Object.fromEntries(sc.holders.map((h) => [h, claim(h)])),
        });
        const nodes = sc.nodes.map((n, k) =>
          csiNode(
            `n${k}`,
            n.plugin
              ? [
                  nodePlugin('ebs', {
                    healthy: n.healthy,
                    maxVolumes: n.maxVolumes,
                    segments: n.zone ? { zone: n.zone } : undefined,
                  }),
                ]
              : [],
          ),
        );
        // Allocation k of `other` on node i uses volumes used0..used(k): `using` distinct volumes.
        const allocs: Allocation[] = [];
        sc.nodes.forEach((n, i) => {
          if (n.using === 0) return;
          const job = {
            ...other,
            taskGroups: [{ ...other.taskGroups[0]!, volumes: {} as Record<string, never> }],
          };
          const vols = Object.fromEntries(
            [...Array(n.using).keys()].map((k) => [`v${k}`, csiRequest(`used${k}`, { readOnly: true })]),
          );
          job.taskGroups[0]!.volumes = vols as never;
          allocs.push(mockAlloc({ id: `use-${i}`, jobId: 'other', job, nodeId: `n${i}` }));
        });
        allocs.push(mockAlloc({ id: 'h-other', jobId: 'other', job: other, nodeId: 'elsewhere' }));
        allocs.push(mockAlloc({ id: 'h-self', jobId: 'j', job: self, nodeId: 'elsewhere' }));
        const used = [0, 1, 2].map((k) => csiVolume({ id: `used${k}` }));
        const s = setup(self, { nodes, allocations: allocs, jobs: [other], csiVolumes: [vol, ...used] });
        const sel = s.stack.select(self.taskGroups[0]!, { allocName: 'j.web[0]' });
        const ok = nodes.map((n, i) => mountable(n, vol, sc.readOnly, sc.nodes[i]!.using));
        if (sel.node) placedRuns++;
        if (sel.node) {
          expect(ok[nodes.findIndex((n) => n.id === sel.node!.id)]).toBe(true);
        } else {
          expect(ok).not.toContain(true);
        }
        // A single-writer volume held by another live job is never given a second writer.
        const single =
          vol.accessMode === 'single-node-writer' || vol.accessMode === 'multi-node-single-writer';
        if (!sc.readOnly && single && sc.holders.includes('h-other')) expect(sel.node).toBeUndefined();
      }),
      // Placing runs are rare (a few in a hundred), so enough runs that some always place.
      { numRuns: 500 },
    );
    // Not vacuous: some runs place.
    expect(placedRuns).toBeGreaterThan(0);
  });
});

describe('CSI claims (property)', () => {
  const job = mockJob({ id: 'web' });
  const ids = ['a1', 'a2', 'a3', 'a4'];
  const stepArb = fc.record({
    alloc: fc.constantFrom(...ids, 'ghost'),
    write: fc.boolean(),
    readMode: fc.constantFrom(...MODES.slice(1)),
    writeMode: fc.constantFrom(...WRITERS),
    release: fc.boolean(),
  });

  it('claims never exceed the access mode and only name known allocations', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODES.slice(1)), fc.array(stepArb, { maxLength: 25 }), (cap, steps) => {
        let s = StateSnapshot.empty();
        const apply = (c: Command) => {
          const r = applyCommand(s, s.index + 1, c);
          if (r.ok) s = r.state;
          else expect(r.state).toBe(s);
        };
        apply({ type: 'JobRegister', job, now: 1 });
        apply({
          type: 'PlanApply',
          evalId: 'e',
          job,
          allocsUpdated: ids.map((id) => mockAlloc({ id, jobId: 'web', job, nodeId: 'n1' })),
          allocsStopped: [],
          allocsPreempted: [],
          deploymentUpdates: [],
          now: 1,
        });
        const v0 = csiVolume({ requestedCapabilities: [{ accessMode: cap, attachmentMode: 'file-system' }] });
        apply({ type: 'CSIVolumeRegister', volumes: [v0], now: 1 });
        for (const st of steps) {
          apply({
            type: 'CSIVolumeClaim',
            namespace: 'default',
            volumeId: 'vol0',
            claim: claim(st.alloc, {
              mode: st.write ? 1 : 0,
              accessMode: st.write ? st.writeMode : st.readMode,
              state: st.release ? 3 : 0,
            }),
            now: 2,
          });
          const v = s.csiVolumeById('default', 'vol0')!;
          const reads = Object.keys(v.readAllocs);
          const writes = Object.keys(v.writeAllocs);
          for (const id of [...reads, ...writes]) expect(ids).toContain(id);
          if (v.accessMode === 'single-node-writer' || v.accessMode === 'multi-node-single-writer')
            expect(writes.length).toBeLessThanOrEqual(1);
          if (v.accessMode === 'single-node-reader-only') expect(reads.length).toBeLessThanOrEqual(1);
          if (v.accessMode === 'single-node-reader-only' || v.accessMode === 'multi-node-reader-only')
            expect(writes).toEqual([]);
          if (reads.length + writes.length > 0) expect(v.accessMode).not.toBe('');
        }
      }),
    );
  });
});
