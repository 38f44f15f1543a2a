import { describe, expect, it } from 'vitest';
import { applyCommand, type ApplyResult } from '../../src/state/reducer.js';
import type { Command } from '../../src/state/commands.js';
import { StateSnapshot } from '../../src/state/stateSnapshot.js';
import { restoreState, serializeState, type SerializedState } from '../../src/state/persist.js';
import { mockAlloc, mockEval, mockJob, mockNode, mockTaskGroup } from '../../src/simulate/mock.js';
import type { Deployment } from '../../src/structs/deployment.js';

// Applies commands in order at indexes 1, 2, …; every one must succeed.
function run(...cmds: Command[]): StateSnapshot {
  let s = StateSnapshot.empty();
  for (const c of cmds) {
    const r = applyCommand(s, s.index + 1, c);
    if (!r.ok) throw new Error(`${c.type} refused: ${r.error}`);
    s = r.state;
  }
  return s;
}

function refused(s: StateSnapshot, c: Command, reason: RegExp): void {
  const r: ApplyResult = applyCommand(s, s.index + 1, c);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error).toMatch(reason);
  // Nothing changed: the very same state comes back.
  expect(r.state).toBe(s);
}

const job = mockJob({ id: 'web', taskGroups: [mockTaskGroup('web', 2)] });
const node = mockNode({ id: 'n1' });
const reg = (j = job): Command => ({
  type: 'JobRegister',
  job: j,
  now: 1,
  evaluation: mockEval({ id: `e-${j.version}`, jobId: j.id }),
});

function deployment(o: Partial<Deployment> = {}): Deployment {
  return {
    id: 'd1',
    namespace: 'default',
    jobId: 'web',
    jobVersion: 0,
    jobModifyIndex: 0,
    jobSpecModifyIndex: 0,
    jobCreateIndex: 0,
    isMultiregion: false,
    taskGroups: {
      web: {
        autoRevert: false,
        autoPromote: false,
        progressDeadline: 600e9,
        requireProgressBy: 0,
        promoted: false,
        placedCanaries: [],
        desiredCanaries: 1,
        desiredTotal: 2,
        placedAllocs: 0,
        healthyAllocs: 0,
        unhealthyAllocs: 0,
      },
    },
    status: 'running',
    statusDescription: '',
    evalPriority: 50,
    createIndex: 0,
    modifyIndex: 0,
    createTime: 0,
    modifyTime: 0,
    ...o,
  };
}

const place = (ids: string[], extra: Partial<Parameters<typeof mockAlloc>[0]> = {}): Command => ({
  type: 'PlanApply',
  evalId: 'e-0',
  job,
  allocsUpdated: ids.map((id) => mockAlloc({ id, jobId: 'web', nodeId: 'n1', job, evalId: 'e-0', ...extra })),
  allocsStopped: [],
  allocsPreempted: [],
  deploymentUpdates: [],
  now: 5,
});

describe('JobRegister', () => {
  it('stores the job, version 0, a summary and the evaluation, and reports it as an effect', () => {
    const r = applyCommand(StateSnapshot.empty(), 7, reg());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const j = r.state.jobById('default', 'web')!;
    expect([j.version, j.createIndex, j.jobModifyIndex, j.status]).toEqual([0, 7, 7, 'pending']);
    expect(r.state.jobSummary('default', 'web')?.summary['web']?.starting).toBe(0);
    expect(r.effects.evals.map((e) => [e.id, e.jobModifyIndex])).toEqual([['e-0', 7]]);
    expect(r.state.tableIndex('jobs')).toBe(7);
    expect(r.state.tableIndex('nodes')).toBe(0);
  });

  it('makes a new version only when the spec changed, and keeps 6 versions', () => {
    let s = run(reg(), reg());
    expect(s.jobById('default', 'web')?.version).toBe(0);
    for (let i = 3; i <= 10; i++) s = applyOk(s, reg(mockJob({ ...job, priority: i * 5 })));
    expect(s.jobById('default', 'web')?.version).toBe(8);
    expect(s.jobVersions('default', 'web').map((j) => j.version)).toEqual([8, 7, 6, 5, 4, 3]);
  });

  it('refuses an invalid job, changing nothing', () => {
    refused(run(), reg(mockJob({ id: 'bad', taskGroups: [] })), /^Job.TaskGroups: Missing job task groups/);
    refused(run(), reg(mockJob({ id: 'x', type: 'nope' })), /Job.Type/);
  });

  it('enforces the check index', () => {
    const s = run(reg());
    const jmi = s.jobById('default', 'web')!.jobModifyIndex;
    refused(s, { ...reg(), enforceIndex: true, jobModifyIndex: 0 } as Command, /job already exists/);
    refused(
      s,
      { ...reg(), enforceIndex: true, jobModifyIndex: jmi + 5 } as Command,
      /conflicting job modify index: 1/,
    );
    expect(applyCommand(s, 9, { ...reg(), enforceIndex: true, jobModifyIndex: jmi } as Command).ok).toBe(
      true,
    );
  });
});

function applyOk(s: StateSnapshot, c: Command): StateSnapshot {
  const r = applyCommand(s, s.index + 1, c);
  if (!r.ok) throw new Error(r.error);
  return r.state;
}

describe('JobDeregister and versions', () => {
  it('stops a job as a new version, or purges it with versions and summary', () => {
    const s = run(reg());
    const stopped = applyOk(s, {
      type: 'JobDeregister',
      namespace: 'default',
      jobId: 'web',
      purge: false,
      now: 2,
    });
    expect(stopped.jobById('default', 'web')).toMatchObject({ stop: true, version: 1, status: 'dead' });
    const purged = applyOk(s, {
      type: 'JobDeregister',
      namespace: 'default',
      jobId: 'web',
      purge: true,
      now: 2,
    });
    expect(purged.jobById('default', 'web')).toBeUndefined();
    expect(purged.jobVersions('default', 'web')).toEqual([]);
    expect(purged.jobSummary('default', 'web')).toBeUndefined();
    refused(
      s,
      { type: 'JobDeregister', namespace: 'default', jobId: 'nope', purge: true, now: 2 },
      /job not found/,
    );
  });

  it('marks a version stable and deletes old versions', () => {
    let s = run(reg(), reg(mockJob({ ...job, priority: 60 })));
    s = applyOk(s, { type: 'JobStability', namespace: 'default', jobId: 'web', version: 1, stable: true });
    expect(s.jobById('default', 'web')?.stable).toBe(true);
    s = applyOk(s, { type: 'JobVersionsDelete', namespace: 'default', jobId: 'web', versions: [0] });
    expect(s.jobVersions('default', 'web').map((j) => j.version)).toEqual([1]);
    refused(
      s,
      { type: 'JobStability', namespace: 'default', jobId: 'web', version: 9, stable: true },
      /not found/,
    );
  });
});

describe('nodes', () => {
  it('registers, updates status, drains and sets eligibility, reporting capacity changes', () => {
    const r = applyCommand(StateSnapshot.empty(), 1, { type: 'NodeRegister', node, now: 10 });
    expect(r.ok && r.effects.capacityChanged).toEqual([node.computedClass]);
    let s = r.state;
    expect(s.nodeById('n1')).toMatchObject({ createIndex: 1, statusUpdatedAt: 10 });
    s = applyOk(s, { type: 'NodeStatusUpdate', nodeId: 'n1', status: 'down', now: 11 });
    expect(s.nodeById('n1')?.status).toBe('down');
    const drain = { deadline: 60e9, ignoreSystemJobs: false, forceDeadline: 71e9, startedAt: 11 };
    s = applyOk(s, { type: 'NodeDrain', nodeId: 'n1', drainStrategy: drain, markEligible: false, now: 11 });
    expect(s.nodeById('n1')).toMatchObject({ schedulingEligibility: 'ineligible', drainStrategy: drain });
    refused(
      s,
      { type: 'NodeEligibility', nodeId: 'n1', eligibility: 'eligible', now: 12 },
      /while it is draining/,
    );
    s = applyOk(s, { type: 'NodeDrain', nodeId: 'n1', markEligible: true, now: 12 });
    expect(s.nodeById('n1')).toMatchObject({ schedulingEligibility: 'eligible', drainStrategy: undefined });
    s = applyOk(s, { type: 'NodeEligibility', nodeId: 'n1', eligibility: 'ineligible', now: 13 });
    expect(s.nodeById('n1')?.schedulingEligibility).toBe('ineligible');
    refused(s, { type: 'NodeStatusUpdate', nodeId: 'zz', status: 'down', now: 1 }, /node not found: zz/);
    s = applyOk(s, { type: 'NodeDeregister', nodeIds: ['n1'] });
    expect(s.nodeById('n1')).toBeUndefined();
    refused(s, { type: 'NodeDeregister', nodeIds: ['n1'] }, /node not found/);
  });
});

describe('PlanApply and client updates', () => {
  it('places allocations with indexes, job, summary and job status', () => {
    const s = run({ type: 'NodeRegister', node, now: 0 }, reg(), place(['a1', 'a2']));
    expect(s.allocsByNode('n1').map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(s.allocsByJob('default', 'web').length).toBe(2);
    expect(s.allocsByEval('e-0').length).toBe(2);
    expect(s.allocById('a1')).toMatchObject({ createIndex: 3, modifyIndex: 3, createTime: 5 });
    expect(s.allocById('a1')?.job?.id).toBe('web');
    expect(s.jobSummary('default', 'web')?.summary['web']?.starting).toBe(2);
    expect(s.jobById('default', 'web')?.status).toBe('running');
  });

  it('refuses a plan for a node that no longer exists, changing nothing', () => {
    const s = run({ type: 'NodeRegister', node, now: 0 }, reg(), { type: 'NodeDeregister', nodeIds: ['n1'] });
    refused(s, place(['a1']), /node n1 that does not exist/);
  });

  it('stops and preempts allocations and links replacements', () => {
    let s = run({ type: 'NodeRegister', node, now: 0 }, reg(), place(['a1', 'a2']));
    const a1 = s.allocById('a1')!;
    const a2 = s.allocById('a2')!;
    const r = applyCommand(s, s.index + 1, {
      type: 'PlanApply',
      evalId: 'e-1',
      job,
      allocsUpdated: [mockAlloc({ id: 'a3', jobId: 'web', nodeId: 'n1', job, previousAllocation: 'a1' })],
      allocsStopped: [{ ...a1, desiredStatus: 'stop', desiredDescription: 'alloc is being updated' }],
      allocsPreempted: [
        { ...a2, desiredDescription: 'Preempted by alloc ID a3', preemptedByAllocation: 'a3' },
      ],
      deploymentUpdates: [],
      now: 6,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    s = r.state;
    expect(s.allocById('a1')).toMatchObject({ desiredStatus: 'stop', nextAllocation: 'a3' });
    expect(s.allocById('a2')).toMatchObject({ desiredStatus: 'evict', preemptedByAllocation: 'a3' });
    expect(r.effects.capacityChanged).toEqual([node.computedClass]);
  });

  it('applies client updates to the summary, and refuses an unknown allocation whole', () => {
    let s = run({ type: 'NodeRegister', node, now: 0 }, reg(), place(['a1', 'a2']));
    s = applyOk(s, { type: 'AllocClientUpdate', allocs: [{ id: 'a1', clientStatus: 'running' }], now: 7 });
    expect(s.jobSummary('default', 'web')?.summary['web']).toMatchObject({ starting: 1, running: 1 });
    refused(
      s,
      {
        type: 'AllocClientUpdate',
        allocs: [
          { id: 'a2', clientStatus: 'running' },
          { id: 'ghost', clientStatus: 'failed' },
        ],
        now: 8,
      },
      /alloc not found: ghost/,
    );
    s = applyOk(s, {
      type: 'AllocClientUpdate',
      allocs: [
        { id: 'a1', clientStatus: 'complete' },
        { id: 'a2', clientStatus: 'failed' },
      ],
      now: 9,
    });
    expect(s.jobSummary('default', 'web')?.summary['web']).toMatchObject({
      running: 0,
      complete: 1,
      failed: 1,
    });
    expect(s.jobById('default', 'web')?.status).toBe('dead');
  });

  it('sets desired transitions and deletes terminal allocations and evaluations (GC)', () => {
    let s = run({ type: 'NodeRegister', node, now: 0 }, reg(), place(['a1']));
    s = applyOk(s, { type: 'AllocDesiredTransition', transitions: { a1: { migrate: true } } });
    expect(s.allocById('a1')?.desiredTransition.migrate).toBe(true);
    refused(s, { type: 'EvalDelete', evalIds: ['e-0'], allocIds: ['a1'] }, /not terminal/);
    s = applyOk(s, { type: 'AllocClientUpdate', allocs: [{ id: 'a1', clientStatus: 'complete' }], now: 9 });
    s = applyOk(s, { type: 'EvalDelete', evalIds: ['e-0'], allocIds: ['a1'] });
    expect([s.allocById('a1'), s.evalById('e-0')]).toEqual([undefined, undefined]);
  });
});

describe('evaluations', () => {
  it('upserts evaluations keeping the create index and sets queued counts', () => {
    let s = run(reg());
    s = applyOk(s, {
      type: 'EvalUpdate',
      evals: [{ ...s.evalById('e-0')!, status: 'complete', queuedAllocations: { web: 2 } }],
    });
    expect(s.evalById('e-0')).toMatchObject({ status: 'complete', createIndex: 1, modifyIndex: 2 });
    expect(s.jobSummary('default', 'web')?.summary['web']?.queued).toBe(2);
    expect(s.evalsByJob('default', 'web').length).toBe(1);
  });
});

describe('deployments', () => {
  const withDeployment = (): StateSnapshot =>
    run({ type: 'NodeRegister', node, now: 0 }, reg(), {
      ...(place(['c1'], {
        deploymentId: 'd1',
        deploymentStatus: { canary: true, timestamp: 0, modifyIndex: 0 },
      }) as Extract<Command, { type: 'PlanApply' }>),
      deployment: deployment(),
    });

  it('counts placed canaries and health reported by the client', () => {
    let s = withDeployment();
    expect(s.deploymentById('d1')?.taskGroups['web']).toMatchObject({
      placedAllocs: 1,
      placedCanaries: ['c1'],
    });
    s = applyOk(s, {
      type: 'AllocClientUpdate',
      allocs: [
        {
          id: 'c1',
          clientStatus: 'running',
          deploymentStatus: { canary: true, healthy: true, timestamp: 100, modifyIndex: 0 },
        },
      ],
      now: 100,
    });
    expect(s.deploymentById('d1')?.taskGroups['web']).toMatchObject({
      healthyAllocs: 1,
      requireProgressBy: 100 + 600e9,
    });
    expect(s.latestDeploymentByJob('default', 'web')?.id).toBe('d1');
  });

  it('promotes only when canaries are healthy', () => {
    let s = withDeployment();
    const promote: Command = { type: 'DeploymentPromote', deploymentId: 'd1', groups: [], now: 5 };
    refused(s, promote, /Task group "web" has 0\/1 healthy allocations/);
    s = applyOk(s, {
      type: 'DeploymentAllocHealth',
      deploymentId: 'd1',
      healthyAllocIds: ['c1'],
      unhealthyAllocIds: [],
      now: 5,
    });
    s = applyOk(s, promote);
    expect(s.deploymentById('d1')?.taskGroups['web']?.promoted).toBe(true);
  });

  it('fails a deployment with a revert job, refuses updates once terminal, and deletes it', () => {
    let s = withDeployment();
    const revert = mockJob({ ...job, priority: 70 });
    s = applyOk(s, {
      type: 'DeploymentStatusUpdate',
      update: {
        deploymentId: 'd1',
        status: 'failed',
        statusDescription: 'Failed due to unhealthy allocations',
      },
      job: revert,
      evaluation: mockEval({ id: 'e-revert', jobId: 'web' }),
      now: 9,
    });
    expect(s.deploymentById('d1')?.status).toBe('failed');
    expect(s.jobById('default', 'web')).toMatchObject({ version: 1, priority: 70 });
    refused(
      s,
      {
        type: 'DeploymentStatusUpdate',
        update: { deploymentId: 'd1', status: 'running', statusDescription: '' },
        now: 9,
      },
      /terminal status failed/,
    );
    refused(
      s,
      {
        type: 'DeploymentAllocHealth',
        deploymentId: 'd1',
        healthyAllocIds: ['c1'],
        unhealthyAllocIds: [],
        now: 5,
      },
      /terminal/,
    );
    s = applyOk(s, { type: 'DeploymentDelete', deploymentIds: ['d1'] });
    expect(s.deploymentById('d1')).toBeUndefined();
  });
});

describe('periodic, scaling, config, objects', () => {
  it('records launches, scaling events (newest first), scheduler config and generic objects', () => {
    let s = run(reg(), { type: 'PeriodicLaunch', namespace: 'default', jobId: 'web', launch: 42 });
    expect(s.periodicLaunch('default', 'web')?.launch).toBe(42);
    for (const n of [1, 2])
      s = applyOk(s, {
        type: 'ScalingEvent',
        namespace: 'default',
        jobId: 'web',
        taskGroup: 'web',
        event: { time: n, count: n, previousCount: 0, message: `to ${n}`, error: false },
      });
    expect(s.scalingEvents('default', 'web')?.taskGroups['web']?.map((e) => e.count)).toEqual([2, 1]);
    refused(
      s,
      {
        type: 'ScalingEvent',
        namespace: 'default',
        jobId: 'nope',
        taskGroup: 'web',
        event: { time: 1, previousCount: 0, message: '', error: false },
      },
      /job not found/,
    );
    s = applyOk(s, {
      type: 'SchedulerConfig',
      config: { ...s.schedulerConfiguration(), schedulerAlgorithm: 'spread' },
    });
    expect(s.schedulerConfiguration().schedulerAlgorithm).toBe('spread');
    s = applyOk(s, { type: 'ObjectUpsert', table: 'variables', key: 'default/app', value: { a: 1 } });
    expect(s.tables.variables.get('default/app')?.value).toEqual({ a: 1 });
    s = applyOk(s, { type: 'ObjectUpsert', table: 'variables', key: 'default/app', value: undefined });
    expect(s.tables.variables.size).toBe(0);
  });
});

describe('snapshot to / restore from a serialisable form', () => {
  it('round-trips every table, the indexes and the table modify indexes through JSON', () => {
    const s = run({ type: 'NodeRegister', node, now: 0 }, reg(), place(['a1', 'a2']), {
      type: 'PeriodicLaunch',
      namespace: 'default',
      jobId: 'web',
      launch: 3,
    });
    const restored = restoreState(JSON.parse(JSON.stringify(serializeState(s))) as SerializedState);
    expect(serializeState(restored)).toEqual(serializeState(s));
    expect(restored.allocsByNode('n1').map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(restored.tableIndex('nodes')).toBe(1);
    expect(restored.tableIndex('allocs')).toBe(3);
    expect(restored.index).toBe(4);
  });
});
