import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { TaskConfig, TaskDriver, TaskHandle } from '../driver.js';
import { DriverError } from '../driver.js';
import type { ConformanceBehaviour } from './behaviours.js';
import { createTestTaskConfig, type TestTask, type TestTaskOptions } from './taskDirs.js';

/** What the suite needs to know about a driver under test. */
export interface ConformanceOptions {
  /** Make a fresh driver instance (called again to simulate an agent restart). */
  createDriver(): TaskDriver | Promise<TaskDriver>;
  /** The driver's task `config` block for a task with the given behaviour. */
  taskConfigFor(behaviour: ConformanceBehaviour): Record<string, unknown>;
  /** A task `config` block the driver must reject, and a path its errors must mention. */
  invalidTaskConfig: { config: Record<string, unknown>; path: string };
  /**
   * Throw if anything of the task is left on the host (processes, cgroups, containers).
   * Called after every stop/destroy.
   */
  assertGone(handle: TaskHandle): Promise<void>;
  /** Adjust the generated TaskConfig (user, resources) before start. */
  adjustTaskConfig?(config: TaskConfig): TaskConfig | Promise<TaskConfig>;
  /** Parent directory for allocation dirs; defaults to the OS temp dir. */
  root?: string;
  /** Extra ms to allow on top of each case's budget (slow engines: VMs, JVMs). */
  slackMs?: number;
}

/** One conformance case: run it, it throws (an AssertionError) on failure. */
export interface ConformanceCase {
  name: string;
  timeoutMs: number;
  run(): Promise<void>;
}

/**
 * The shared driver conformance suite as framework-free cases: start, wait exit code, logs,
 * stop with kill_signal, SIGKILL after kill_timeout, whole-tree kill, stats, inspect, signal,
 * exec, destroy, recover from a JSON round-tripped handle on a new driver instance, config errors.
 * Every case cleans up what it created, even when it fails.
 *
 * @example
 * for (const c of conformanceCases(opts)) it(c.name, c.run, c.timeoutMs);
 */
export function conformanceCases(opts: ConformanceOptions): ConformanceCase[] {
  const slack = opts.slackMs ?? 0;

  /** Start a task with the given behaviour; returns the driver, handle and cleanup. */
  async function withTask(
    behaviour: ConformanceBehaviour,
    extra: Partial<TestTaskOptions>,
    body: (ctx: { driver: TaskDriver; handle: TaskHandle; task: TestTask }) => Promise<void>,
  ): Promise<void> {
    const driver = await opts.createDriver();
    const task = await createTestTaskConfig({
      driverConfig: opts.taskConfigFor(behaviour),
      ...(opts.root !== undefined ? { root: opts.root } : {}),
      ...extra,
    });
    let handle: TaskHandle | undefined;
    try {
      const config = opts.adjustTaskConfig ? await opts.adjustTaskConfig(task.config) : task.config;
      handle = (await driver.startTask(config)).handle;
      await body({ driver, handle, task });
    } finally {
      if (handle) await driver.destroyTask(handle.config.id, true).catch(() => undefined);
      await task.cleanup();
    }
  }

  const untilLog = async (path: string, text: string, ms = 10_000 + slack): Promise<void> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const got = await readFile(path, 'utf8').catch(() => '');
      if (got.includes(text)) return;
      await sleep(50);
    }
    assert.fail(`expected ${JSON.stringify(text)} in ${path} within ${ms}ms`);
  };

  const cases: ConformanceCase[] = [
    {
      name: 'fingerprint reports healthy with the driver attribute',
      timeoutMs: 30_000 + slack,
      async run() {
        const driver = await opts.createDriver();
        const fp = await driver.fingerprint();
        assert.equal(fp.health, 'healthy', fp.healthDescription);
        assert.equal(fp.attributes[`driver.${driver.name}`], '1');
      },
    },
    {
      name: 'start, wait for exit code 0, logs land in the task log files',
      timeoutMs: 30_000 + slack,
      run: () =>
        withTask({ kind: 'exit', code: 0 }, {}, async ({ driver, handle, task }) => {
          const exit = await driver.waitTask(handle.config.id);
          assert.deepEqual([exit.exitCode, exit.signal, exit.oomKilled], [0, 0, false]);
          await untilLog(task.config.stdoutPath, 'hello');
          await untilLog(task.config.stderrPath, 'oops');
          const status = await driver.inspectTask(handle.config.id);
          assert.equal(status.state, 'exited');
          assert.equal(status.exitResult?.exitCode, 0);
        }),
    },
    {
      name: 'wait reports a non-zero exit code',
      timeoutMs: 30_000 + slack,
      run: () =>
        withTask({ kind: 'exit', code: 7 }, {}, async ({ driver, handle }) => {
          const exit = await driver.waitTask(handle.config.id);
          assert.equal(exit.exitCode, 7);
          assert.equal(exit.signal, 0);
        }),
    },
    {
      name: 'stop sends kill_signal and the task exits on it',
      timeoutMs: 30_000 + slack,
      run: () =>
        withTask({ kind: 'trap', signal: 'SIGINT', code: 3 }, {}, async ({ driver, handle, task }) => {
          await untilLog(task.config.stdoutPath, 'started');
          const t0 = Date.now();
          await driver.stopTask(handle.config.id, 10e9, 'SIGINT');
          const exit = await driver.waitTask(handle.config.id);
          assert.equal(exit.exitCode, 3, `exit ${JSON.stringify(exit)}`);
          assert.ok(Date.now() - t0 < 9_000, 'the task should exit on the signal, not on kill_timeout');
          await opts.assertGone(handle);
        }),
    },
    {
      name: 'stop escalates to SIGKILL after kill_timeout',
      timeoutMs: 30_000 + slack,
      run: () =>
        withTask({ kind: 'ignore' }, {}, async ({ driver, handle, task }) => {
          await untilLog(task.config.stdoutPath, 'started');
          const t0 = Date.now();
          await driver.stopTask(handle.config.id, 1e9, 'SIGTERM');
          const took = Date.now() - t0;
          const exit = await driver.waitTask(handle.config.id);
          assert.ok(took >= 900, `stopped after ${took}ms, before kill_timeout (1000ms)`);
          assert.ok(took < 8_000 + slack, `stop took ${took}ms`);
          assert.equal(exit.signal, 9, `exit ${JSON.stringify(exit)}`);
          await opts.assertGone(handle);
        }),
    },
    {
      name: 'stop kills the whole process tree',
      timeoutMs: 30_000 + slack,
      run: () =>
        withTask({ kind: 'tree' }, {}, async ({ driver, handle, task }) => {
          await untilLog(task.config.stdoutPath, 'started');
          await driver.stopTask(handle.config.id, 2e9, 'SIGTERM');
          await driver.waitTask(handle.config.id);
          await opts.assertGone(handle);
        }),
    },
    {
      name: 'stats report memory and cpu of a running task',
      timeoutMs: 30_000 + slack,
      run: () =>
        withTask({ kind: 'sleep' }, {}, async ({ driver, handle, task }) => {
          await untilLog(task.config.stdoutPath, 'started');
          const stats = await driver.taskStats(handle.config.id);
          assert.ok(stats.timestampMs > 0);
          assert.ok(stats.memory.measured.length > 0, 'no memory fields measured');
          assert.ok(stats.memory.rss > 0 || stats.memory.usage > 0, `memory ${JSON.stringify(stats.memory)}`);
          assert.ok(stats.cpu.measured.length > 0, 'no cpu fields measured');
          assert.ok(stats.cpu.percent >= 0 && Number.isFinite(stats.cpu.percent));
        }),
    },
    {
      name: 'signalTask delivers a signal',
      timeoutMs: 30_000 + slack,
      run: () =>
        withTask({ kind: 'trap', signal: 'SIGUSR1', code: 5 }, {}, async ({ driver, handle, task }) => {
          if (!driver.capabilities().sendSignals) return;
          await untilLog(task.config.stdoutPath, 'started');
          await driver.signalTask(handle.config.id, 'SIGUSR1');
          const exit = await driver.waitTask(handle.config.id);
          assert.equal(exit.exitCode, 5);
        }),
    },
    {
      name: 'execTask runs a command inside the task',
      timeoutMs: 30_000 + slack,
      run: () =>
        withTask({ kind: 'sleep' }, {}, async ({ driver, handle, task }) => {
          if (!driver.capabilities().exec) return;
          await untilLog(task.config.stdoutPath, 'started');
          const res = await driver.execTask(handle.config.id, ['/bin/sh', '-c', 'echo from-exec; exit 4']);
          assert.equal(res.stdout.toString().trim(), 'from-exec');
          assert.equal(res.exitResult.exitCode, 4);
        }),
    },
    {
      name: 'destroy with force kills a running task and leaves nothing behind',
      timeoutMs: 30_000 + slack,
      run: () =>
        withTask({ kind: 'ignore' }, {}, async ({ driver, handle, task }) => {
          await untilLog(task.config.stdoutPath, 'started');
          await driver.destroyTask(handle.config.id, true);
          await opts.assertGone(handle);
          await assert.rejects(driver.inspectTask(handle.config.id), (e: unknown) => {
            return e instanceof DriverError && e.code === 'not-found';
          });
        }),
    },
    {
      name: 'recover: a new driver instance reattaches from the JSON handle and stops the task',
      timeoutMs: 40_000 + slack,
      run: () =>
        withTask({ kind: 'trap', signal: 'SIGINT', code: 3 }, {}, async ({ handle, task }) => {
          await untilLog(task.config.stdoutPath, 'started');
          const persisted = JSON.parse(JSON.stringify(handle)) as TaskHandle;
          const fresh = await opts.createDriver();
          try {
            await fresh.recoverTask(persisted);
            const status = await fresh.inspectTask(persisted.config.id);
            assert.equal(status.state, 'running');
            const stats = await fresh.taskStats(persisted.config.id);
            assert.ok(stats.memory.measured.length > 0);
            await fresh.stopTask(persisted.config.id, 10e9, 'SIGINT');
            const exit = await fresh.waitTask(persisted.config.id);
            assert.ok(
              exit.exitCode === 3 || exit.signal !== 0 || exit.err !== undefined,
              JSON.stringify(exit),
            );
            await fresh.destroyTask(persisted.config.id, true);
            await opts.assertGone(persisted);
          } finally {
            await fresh.destroyTask(persisted.config.id, true).catch(() => undefined);
          }
        }),
    },
    {
      name: 'invalid task config is rejected with errors that carry a path',
      timeoutMs: 10_000,
      async run() {
        const driver = await opts.createDriver();
        const errs = driver.validateTaskConfig(opts.invalidTaskConfig.config);
        assert.ok(errs.length > 0, 'expected config errors');
        assert.ok(
          errs.some((e) => e.path.includes(opts.invalidTaskConfig.path)),
          `no error at ${opts.invalidTaskConfig.path}: ${JSON.stringify(errs)}`,
        );
        const task = await createTestTaskConfig({
          driverConfig: opts.invalidTaskConfig.config,
          ...(opts.root !== undefined ? { root: opts.root } : {}),
        });
        try {
          await assert.rejects(driver.startTask(task.config), (e: unknown) => {
            return e instanceof DriverError && e.code === 'invalid-config' && e.configErrors.length > 0;
          });
        } finally {
          await task.cleanup();
        }
      },
    },
  ];
  return cases;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
