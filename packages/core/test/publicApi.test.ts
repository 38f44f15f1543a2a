/**
 * The root export list of @tsnomad/core, pinned: the root is the small surface most callers
 * need; building blocks belong in a subpath (src/exports/). Growing the root is a decision —
 * change this list and docs/embedding.md together.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from '@tsnomad/core';
import * as scheduler from '@tsnomad/core/scheduler';
import * as server from '@tsnomad/core/server';
import * as state from '@tsnomad/core/state';
import * as structs from '@tsnomad/core/structs';
import * as testing from '@tsnomad/core/testing';

const ROOT_VALUES = [
  'ManualClock',
  'StateSnapshot',
  'VERSION',
  'applyCommand',
  'canonicalizeJob',
  'createControlPlane',
  'createSingleNodeConsensus',
  'createSnapshot',
  'decodeJob',
  'encodeJob',
  'schedule',
  'selectNode',
  'validateJob',
];

const ROOT_NAMES = [
  'AllocMetric',
  'Allocation',
  'ApplyResult',
  'Clock',
  'Command',
  'Consensus',
  'ControlPlane',
  'ControlPlaneOptions',
  'DecodeError',
  'DecodeResult',
  'Deployment',
  'Evaluation',
  'Job',
  'JobInput',
  'LogEntry',
  'ManualClock',
  'Node',
  'Placement',
  'PlacementRequest',
  'Placer',
  'PlacerFactory',
  'Plan',
  'ScheduleOptions',
  'ScheduleResult',
  'SchedulerSnapshot',
  'SelectNodeOptions',
  'SnapshotInput',
  'StateMachine',
  'StateSnapshot',
  'Task',
  'TaskGroup',
  'VERSION',
  'ValidationProblem',
  'applyCommand',
  'canonicalizeJob',
  'createControlPlane',
  'createSingleNodeConsensus',
  'createSnapshot',
  'decodeJob',
  'encodeJob',
  'schedule',
  'selectNode',
  'validateJob',
];

describe('public API of @tsnomad/core', () => {
  it('the root exports exactly the pinned values', () => {
    expect(Object.keys(core).sort()).toEqual(ROOT_VALUES);
  });

  it('the root lists exactly the pinned names (values and types), about forty', () => {
    const src = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../src/index.ts'), 'utf8');
    const listed = [...src.matchAll(/export (?:type )?\{([^}]*)\}/g)]
      .flatMap((m) => m[1]!.split(','))
      .map((n) => n.trim())
      .filter((n) => n !== '')
      .sort();
    expect(listed).toEqual(ROOT_NAMES);
    expect(listed.length).toBeLessThanOrEqual(45);
  });

  it('the subpaths hold the building blocks', () => {
    expect(typeof scheduler.createStack).toBe('function');
    expect(typeof scheduler.readyNodesInDCsAndPool).toBe('function');
    expect(typeof server.createEvalBroker).toBe('function');
    expect(typeof state.Table).toBe('function');
    expect(typeof structs.newEvaluation).toBe('function');
    expect(typeof testing.createSimulation).toBe('function');
    // Internals stay out of the root.
    for (const internal of ['EvalContext', 'Stack', 'Table', 'nsKey', 'FAILED_QUEUE', 'mockJob'])
      expect(internal in core).toBe(false);
  });
});
