/**
 * Issue #18 items 3 (non-finite and fractional numbers), 7 (unbounded input) and 9 (paths that
 * escape the allocation directory): refused at intake with a clear error and its path.
 */
import { describe, expect, it } from 'vitest';
import { decodeJob } from '../../src/api/codec.js';
import { validateJob } from '../../src/jobspec/validate.js';
import type { Job, Task } from '../../src/jobspec/types.js';
import { mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';
import { createSimulation } from '../../src/simulate/simulate.js';
import { serializeState } from '../../src/state/persist.js';
import { pathEscapesAllocDir } from '../../src/jobspec/validateLimits.js';

const problems = (job: Job): string[] => validateJob(job).map((p) => `${p.path}: ${p.message}`);

function withTask(patch: (t: Task) => void, count = 1): Job {
  const t = mockTask('t');
  patch(t);
  return mockJob({ id: 'j', taskGroups: [mockTaskGroup('g', count, t)] });
}

const R = 'Job.TaskGroups[0].Tasks[0].Resources';

describe('numbers are what Go allows (issue #18 item 3)', () => {
  const cases: [string, Job, string][] = [
    ['NaN cpu', withTask((t) => (t.resources.cpu = NaN)), `${R}.CPU: CPU must be a finite number; got NaN`],
    [
      'Infinity cpu',
      withTask((t) => (t.resources.cpu = Infinity)),
      `${R}.CPU: CPU must be a finite number; got Infinity`,
    ],
    [
      'fractional cores',
      withTask((t) => ((t.resources.cpu = 0), (t.resources.cores = 1.5))),
      `${R}.Cores: Cores must be an integer; got 1.5`,
    ],
    [
      'fractional memory',
      withTask((t) => (t.resources.memoryMB = 10.5)),
      `${R}.MemoryMB: MemoryMB must be an integer; got 10.5`,
    ],
    [
      'fractional count',
      withTask(() => undefined, 1.5),
      'Job.TaskGroups[0].Count: Count must be an integer; got 1.5',
    ],
    [
      'NaN kill timeout',
      withTask((t) => (t.killTimeout = NaN)),
      'Job.TaskGroups[0].Tasks[0].KillTimeout: KillTimeout must be a finite number; got NaN',
    ],
    [
      'fractional port',
      withTask(
        (t) =>
          (t.resources.networks = [
            {
              mode: 'host',
              mbits: 0,
              reservedPorts: [{ label: 'http', value: 80.5, to: 0, hostNetwork: 'default' }],
              dynamicPorts: [],
            } as never,
          ]),
      ),
      `${R}.Networks[0].ReservedPorts[0].Value: Value must be an integer; got 80.5`,
    ],
    [
      'NaN device count',
      withTask(
        (t) => (t.resources.devices = [{ name: 'nvidia/gpu', count: NaN, constraints: [], affinities: [] }]),
      ),
      `${R}.Devices[0].Count: Count must be a finite number; got NaN`,
    ],
    [
      'NaN priority',
      { ...mockJob({ id: 'j' }), priority: NaN },
      'Job.Priority: Priority must be a finite number; got NaN',
    ],
    [
      'huge count',
      withTask(() => undefined, 1e308),
      'Job.TaskGroups[0].Count: Count is out of range for a 64-bit integer; got 1e+308',
    ],
  ];
  for (const [name, job, expected] of cases)
    it(`${name}: refused with its path`, () => expect(problems(job)).toContain(expected));

  it('`Count 1.5` does not say "can\'t be negative"', () => {
    expect(problems(withTask(() => undefined, 1.5)).join('\n')).not.toMatch(/negative/);
  });

  it('free-form driver config may hold floats, not NaN', () => {
    expect(problems(withTask((t) => (t.config = { command: 'x', ratio: 0.5 })))).toEqual([]);
    expect(problems(withTask((t) => (t.config = { command: 'x', ratio: NaN })))).toEqual([
      'Job.TaskGroups[0].Tasks[0].Config["ratio"]: Config["ratio"] must be a finite number; got NaN',
    ]);
  });

  it('a NaN cpu job cannot switch off the capacity check (4 × 900 MHz on a 1000 MHz node)', async () => {
    const sim = createSimulation({ nodes: [mockNode({ id: 'n1', cpu: 1000 })] });
    await sim.start();
    for (let i = 0; i < 4; i++) {
      const job = { ...withTask((t) => (t.resources.cpu = 900)), id: `ok${i}`, name: `ok${i}` };
      expect((await sim.cp.registerJob(job)).ok).toBe(true);
    }
    const nan = { ...withTask((t) => (t.resources.cpu = NaN)), id: 'nan', name: 'nan' };
    const r = await sim.cp.registerJob(nan);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toContain('CPU must be a finite number; got NaN');
    await sim.cp.processEvals();
    let cpu = 0;
    for (const a of sim.cp.state().allocsByNode('n1'))
      if (a.desiredStatus === 'run')
        for (const t of Object.values(a.allocatedResources!.tasks)) cpu += t.cpu.cpuShares;
    expect(cpu).toBeLessThanOrEqual(1000);
  });

  it('the codecs reject non-finite numbers at decode, with the path', () => {
    const text =
      '{"ID":"j","TaskGroups":[{"Name":"g","Tasks":[{"Name":"t","Driver":"raw_exec","Resources":{"CPU":1e400}}]}]}';
    const r = decodeJob(JSON.parse(text));
    expect(r.ok).toBe(false);
    // How the bad value is shown is the error printer's business; the path and the expectation are ours.
    expect(r.ok ? [] : r.errors.map((e) => [e.path, e.expected])).toEqual([
      ['Job.TaskGroups[0].Tasks[0].Resources.CPU', 'a finite number'],
    ]);
  });
});

describe('bounded input (issue #18 item 7)', () => {
  it("a job's total count is bounded by Nomad's job_max_count (50000)", () => {
    for (const n of [1e7, 1e15])
      expect(problems(withTask(() => undefined, n))).toContain(
        `Job.TaskGroups: total count was greater than configured job_max_count: ${n} > 50000`,
      );
    expect(problems(withTask(() => undefined, 50_000))).toEqual([]);
  });

  it('node reserved ports are parsed as Nomad does, refused at registration', async () => {
    const sim = createSimulation({ nodes: [] });
    await sim.start();
    const cases: [string, string][] = [
      ['1-1000000000', 'port must be < 65536 but found 1000000000'],
      ['abc', 'strconv.ParseUint: parsing "abc": invalid syntax'],
      ['-5', 'strconv.ParseUint: parsing "": invalid syntax'],
      ['10-5', 'invalid range: ending value (5) less than starting (10) value'],
    ];
    for (const [spec, why] of cases) {
      const n = mockNode({ id: 'n1' });
      n.reservedResources.networks.reservedHostPorts = spec;
      expect(await sim.cp.registerNode(n)).toEqual({
        ok: false,
        error: `node n1: Reserved.Networks.ReservedHostPorts ${JSON.stringify(spec)}: ${why}`,
      });
    }
    const ok = mockNode({ id: 'n1' });
    ok.reservedResources.networks.reservedHostPorts = '22,8000-8010';
    expect((await sim.cp.registerNode(ok)).ok).toBe(true);
  });

  it('a 5,000-deep driver config is refused; the state stays serializable', async () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 5000; i++) deep = { d: deep };
    const job = withTask((t) => (t.config = { command: 'x', deep }));
    const found = problems(job);
    expect(found.length).toBe(1);
    expect(found[0]).toMatch(
      /^Job\.TaskGroups\[0\]\.Tasks\[0\]\.Config\["deep"\](\["d"\])+: nesting is deeper than 64 levels$/,
    );
    const sim = createSimulation({ nodes: [mockNode({ id: 'n1' })] });
    await sim.start();
    expect((await sim.cp.registerJob(job)).ok).toBe(false);
    expect(() => JSON.stringify(serializeState(sim.cp.state()))).not.toThrow();
  });
});

describe('paths that escape the allocation directory (issue #18 item 9)', () => {
  const escapes = 'destination escapes allocation directory';
  it('template, artifact and dispatch_payload destinations', () => {
    const job = withTask((t) => {
      t.templates = [{ ...baseTemplate(), destPath: '../../../../etc/cron.d/x' }];
      t.artifacts = [
        {
          getterSource: 'https://x/y',
          getterOptions: {},
          getterHeaders: {},
          getterMode: 'any',
          getterInsecure: false,
          relativeDest: '../../../etc/',
          chown: false,
        },
      ];
      t.dispatchPayload = { file: '../../../etc/passwd' };
    });
    const p = problems(job);
    expect(p).toContain(`Job.TaskGroups[0].Tasks[0].Templates[0].DestPath: ${escapes}`);
    expect(p).toContain(`Job.TaskGroups[0].Tasks[0].Artifacts[0].RelativeDest: ${escapes}`);
    expect(p).toContain(`Job.TaskGroups[0].Tasks[0].DispatchPayload.File: ${escapes}`);
  });

  it("matches Nomad's relative-path rule", () => {
    expect(pathEscapesAllocDir('task', 'local/x')).toBe(false);
    expect(pathEscapesAllocDir('task', '../alloc/data')).toBe(false); // the shared alloc dir
    expect(pathEscapesAllocDir('task', '../../x')).toBe(true);
    expect(pathEscapesAllocDir('task', '/etc/passwd')).toBe(false); // joined under the task dir
    expect(pathEscapesAllocDir('task/local/', '../../x')).toBe(false);
    expect(pathEscapesAllocDir('task/local/', '../../../x')).toBe(true);
  });
});

function baseTemplate() {
  const job = mockJob({ id: 'x' });
  void job;
  return {
    sourcePath: '',
    destPath: 'local/file',
    embeddedTmpl: 'hello',
    changeMode: 'restart',
    changeSignal: '',
    splay: 5_000_000_000,
    perms: '0644',
    leftDelim: '{{',
    rightDelim: '}}',
    envvars: false,
    vaultGrace: 0,
    errMissingKey: false,
  } as unknown as Task['templates'][number];
}
