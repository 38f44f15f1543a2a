import { describe, expect, it } from 'vitest';
import { canonicalizeJob } from './canonicalize.js';
import type { JobInput } from './types.js';
import { validateJob } from './validate.js';

const base = (over: JobInput = {}): JobInput => ({
  id: 'web',
  taskGroups: [
    {
      name: 'g',
      networks: [{ dynamicPorts: [{ label: 'http' }] }],
      services: [{ portLabel: 'http' }],
      tasks: [{ name: 't', driver: 'docker' }],
    },
  ],
  ...over,
});
const problems = (j: JobInput) => validateJob(canonicalizeJob(j)).map((p) => `${p.path}: ${p.message}`);

describe('validateJob', () => {
  it('accepts a minimal valid job', () => {
    expect(problems(base())).toEqual([]);
  });

  it('reports every problem with its path', () => {
    const out = problems({
      id: 'web app',
      name: 'web',
      priority: 101,
      type: 'service',
      periodic: { spec: '* * * * *' },
      taskGroups: [
        {
          name: 'g',
          count: -1,
          services: [{ portLabel: 'www' }],
          tasks: [
            { name: 't', driver: 'docker', resources: { memoryMB: 256, memoryMaxMB: 128 } },
            { name: 't', driver: '' },
          ],
        },
        { name: 'g', tasks: [{ name: 'x', driver: 'exec' }] },
      ],
    });
    expect(out).toEqual(
      expect.arrayContaining([
        'Job.ID: Job ID contains a space',
        'Job.Priority: Job priority must be between [1, 100]; got 101',
        'Job.Periodic: Periodic can only be used with "batch" or "sysbatch" scheduler',
        "Job.TaskGroups[1].Name: Job task group 2 redefines 'g' from group 1",
        "Job.TaskGroups[0].Count: Task group count can't be negative",
        'Job.TaskGroups[0].Services[0].PortLabel: Port label "www" referenced by service web-g does not exist',
        'Job.TaskGroups[0].Tasks[0].Resources.MemoryMaxMB: MemoryMaxMB value (128) should be larger than MemoryMB value (256)',
        "Job.TaskGroups[0].Tasks[1].Name: Task 2 redefines 't' from task 1",
        'Job.TaskGroups[0].Tasks[1].Driver: Missing task driver',
      ]),
    );
  });

  it('checks constraints, affinities and spreads', () => {
    const out = problems(
      base({
        constraints: [
          { ltarget: '${attr.kernel.name}', operand: 'regexp', rtarget: '(' },
          { ltarget: '${attr.nomad.version}', operand: 'version', rtarget: '>= x' },
          { ltarget: '${attr.a}', operand: 'bogus', rtarget: '1' },
          { operand: 'distinct_hosts', rtarget: 'true' },
          { ltarget: '${meta.a}', operand: 'is_set', rtarget: 'x' },
        ],
        affinities: [{ ltarget: '${node.class}', rtarget: 'a', weight: 150 }],
        spreads: [
          {
            attribute: '${node.datacenter}',
            spreadTarget: [
              { value: 'a', percent: 60 },
              { value: 'b', percent: 50 },
            ],
          },
        ],
      }),
    );
    expect(out).toEqual([
      expect.stringMatching(/^Job\.Constraints\[0\]\.RTarget: Regular expression failed to compile/),
      'Job.Constraints[1].RTarget: Version constraint is invalid: ">= x"',
      'Job.Constraints[2].Operand: Unknown constraint type "bogus"',
      'Job.Constraints[4].RTarget: Operator "is_set" does not support an RTarget',
      'Job.Affinities[0].Weight: Affinity weight must be within the range [-100,100]; got 150',
      'Job.Spreads[0].SpreadTarget: Sum of spread target percentages must not be greater than 100%; got 110%',
    ]);
  });

  it('checks update, restart and reschedule ranges and lifecycle hooks', () => {
    const out = problems(
      base({
        update: { autoPromote: true, minHealthyTime: 10 * 60e9 },
        taskGroups: [
          {
            name: 'g',
            restartPolicy: { mode: 'sometimes', interval: 1e9 },
            reschedulePolicy: { delayFunction: 'linear', delay: 1e9 },
            tasks: [
              { name: 'm', driver: 'exec' },
              { name: 'p', driver: 'exec', lifecycle: { hook: 'prestrat' } },
            ],
          },
        ],
      }),
    );
    expect(out).toEqual(
      expect.arrayContaining([
        'Job.TaskGroups[0].Update.AutoPromote: Auto Promote requires a Canary count greater than zero',
        'Job.TaskGroups[0].Update.MinHealthyTime: Minimum healthy time must be less than healthy deadline: 10m0s > 5m0s',
        'Job.TaskGroups[0].RestartPolicy.Mode: Unsupported restart mode: "sometimes"',
        'Job.TaskGroups[0].RestartPolicy.Interval: Interval can not be less than 5s (got 1s)',
        'Job.TaskGroups[0].ReschedulePolicy.Delay: Delay cannot be less than 5s (got 1s)',
        'Job.TaskGroups[0].ReschedulePolicy.DelayFunction: Invalid delay function "linear", must be one of ["constant" "exponential" "fibonacci"]',
        'Job.TaskGroups[0].Tasks[1].Lifecycle.Hook: invalid hook: prestrat',
      ]),
    );
  });

  it('rejects duplicate port labels across group and task networks', () => {
    const out = problems({
      id: 'x',
      taskGroups: [
        {
          name: 'g',
          networks: [{ dynamicPorts: [{ label: 'http' }] }],
          tasks: [
            {
              name: 't',
              driver: 'exec',
              resources: { networks: [{ reservedPorts: [{ label: 'http', value: 80 }] }] },
            },
          ],
        },
      ],
    });
    expect(out).toEqual([
      'Job.TaskGroups[0].Tasks[0].Resources.Networks[0]: Port label http already in use by taskgroup network:g',
    ]);
  });

  it('never throws on a malformed value', () => {
    expect(() => validateJob({} as never)).not.toThrow();
    expect(
      validateJob({} as never).some((p) => p.path === 'Job' && p.message.startsWith('malformed job')),
    ).toBe(true);
  });
});
