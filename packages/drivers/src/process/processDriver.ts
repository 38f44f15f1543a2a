/**
 * The machinery raw_exec, exec and java share: launch under a detached supervisor, wait, stop
 * with kill_signal then SIGKILL after kill_timeout, signal, stats, recover from a handle,
 * destroy. Each driver supplies how to build the command and what isolation wraps it.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { readFile, rm } from 'node:fs/promises';
import type { ConfigError, ConfigSchema } from '../configSchema.js';
import { formatConfigErrors } from '../configSchema.js';
import {
  DriverError,
  type Capabilities,
  type ExecOptions,
  type ExecResult,
  type ExecStreams,
  type ExitResult,
  type Fingerprint,
  type JsonValue,
  type StartResult,
  type TaskConfig,
  type TaskDriver,
  type TaskHandle,
  type TaskStats,
  type TaskStatus,
} from '../driver.js';
import {
  cgroupPids,
  cgroupUsage,
  destroyTaskCgroup,
  oomKilled,
  type TaskCgroup,
} from '../cgroups/cgroups.js';
import { runCollect, runStreaming } from './execCommand.js';
import { launchTask, readExitFile, type LaunchedTask } from './launcher.js';
import { CLOCK_TICKS, PAGE_SIZE, isSameProcessAlive, processTree, readProcStat } from './procfs.js';
import { sendSignal, signalNumber } from './signals.js';

/** What a process driver persists in its handle's driverState. */
export interface ProcessState extends LaunchedTask {
  stateDir: string;
  cgroup?: TaskCgroup;
  /** True when the task runs behind unshare, whose child (the namespace init) records the exit status. */
  nsSupervised: boolean;
}

/** How one driver turns a validated task config into a command. */
export interface PreparedTask {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  cgroup?: TaskCgroup;
  nsSupervised: boolean;
  /** Undo anything prepare created if the launch fails. */
  cleanup?(): Promise<void>;
}

/** The parts that differ between raw_exec, exec and java. */
export interface ProcessDriverSpec {
  name: string;
  pluginConfigSchema: ConfigSchema;
  taskConfigSchema: ConfigSchema;
  capabilities: Capabilities;
  fingerprint(): Promise<Fingerprint>;
  validateTaskConfig(driverConfig: Record<string, unknown>): ConfigError[];
  /** Refuse to start for reasons other than config (e.g. raw_exec disabled). */
  refuse?(): DriverError | undefined;
  prepare(config: TaskConfig, stateDir: string): Promise<PreparedTask>;
  /** Build the argv that runs `command` inside a running task (for execTask). */
  execArgv(state: ProcessState, config: TaskConfig, command: string[]): Promise<string[]>;
}

interface Entry {
  handle: TaskHandle;
  state: ProcessState;
  exit?: ExitResult;
  completedAtMs?: number;
  done: Promise<ExitResult>;
  lastCpu?: { ns: number; atMs: number };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Build a TaskDriver from a {@link ProcessDriverSpec}. Effects: the driver spawns and kills
 * processes and manages cgroups.
 */
export function createProcessDriver(spec: ProcessDriverSpec): TaskDriver {
  const tasks = new Map<string, Entry>();

  const entry = (taskId: string): Entry => {
    const e = tasks.get(taskId);
    if (!e) throw new DriverError('not-found', `${spec.name}: no task ${taskId}`);
    return e;
  };

  /** Every process of the task: its tree, its process group and its cgroup. */
  async function allTaskPids(st: ProcessState): Promise<number[]> {
    const pids = new Set<number>();
    if (st.taskPid !== 0) {
      const alive = await isSameProcessAlive(st.taskPid, st.taskStart);
      for (const p of await processTree(alive ? st.taskPid : -1, [st.taskPid])) pids.add(p.pid);
    }
    if (st.cgroup) for (const p of await cgroupPids(st.cgroup)) pids.add(p);
    return [...pids];
  }

  /** Pids to signal: the task's processes, never the chain that records its exit status. */
  async function signalTargets(st: ProcessState): Promise<number[]> {
    const all = await allTaskPids(st);
    if (!st.nsSupervised) return all;
    // Spare unshare and the namespace's init shell.
    const spare = new Set([st.taskPid, ...(await childrenOf(st.taskPid))]);
    return all.filter((p) => !spare.has(p));
  }

  /** SIGKILL everything of the task until its supervisor reports the exit. */
  async function killUntilDone(e: Entry): Promise<void> {
    for (let i = 0; i < 100; i++) {
      for (const pid of await allTaskPids(e.state)) sendSignal(pid, 'SIGKILL');
      if (await Promise.race([e.done.then(() => true), sleep(100).then(() => false)])) return;
    }
    // The supervisor itself is stuck; take it down too so the watcher resolves.
    sendSignal(e.state.supervisorPid, 'SIGKILL');
    await e.done;
  }

  async function watch(st: ProcessState, exited: Promise<void> | undefined): Promise<ExitResult> {
    if (exited) await exited;
    else {
      while (await isSameProcessAlive(st.supervisorPid, st.supervisorStart)) await sleep(100);
    }
    let result = await readExitFile(st.exitFile);
    for (let i = 0; result === undefined && i < 20; i++) {
      await sleep(10);
      result = await readExitFile(st.exitFile);
    }
    result ??= {
      exitCode: -1,
      signal: 0,
      oomKilled: false,
      err: 'the task supervisor vanished without recording an exit status',
    };
    // No orphans: whatever the task left behind goes with it.
    for (const pid of await allTaskPids(st)) sendSignal(pid, 'SIGKILL');
    if (st.cgroup) {
      if (await oomKilled(st.cgroup)) result = { ...result, oomKilled: true };
      const err = await destroyTaskCgroup(st.cgroup);
      if (err) result = { ...result, err: `cgroup cleanup failed: ${err}` };
    }
    return result;
  }

  function track(handle: TaskHandle, st: ProcessState, exited: Promise<void> | undefined): Entry {
    const e: Entry = {
      handle,
      state: st,
      done: undefined as unknown as Promise<ExitResult>,
    };
    e.done = watch(st, exited).then((r) => {
      e.exit = r;
      e.completedAtMs = Date.now();
      e.handle = { ...e.handle, state: 'exited' };
      return r;
    });
    tasks.set(handle.config.id, e);
    return e;
  }

  async function kill(e: Entry, signal: string): Promise<void> {
    const num = signalNumber(signal);
    if (num === undefined) throw new DriverError('invalid-config', `${spec.name}: unknown signal ${signal}`);
    for (const pid of await signalTargets(e.state)) sendSignal(pid, num);
  }

  const driver: TaskDriver = {
    name: spec.name,
    pluginConfigSchema: spec.pluginConfigSchema,
    taskConfigSchema: spec.taskConfigSchema,
    fingerprint: () => spec.fingerprint(),
    capabilities: () => spec.capabilities,
    validateTaskConfig: (c) => spec.validateTaskConfig(c),

    async startTask(config: TaskConfig): Promise<StartResult> {
      const refused = spec.refuse?.();
      if (refused) throw refused;
      const errors = spec.validateTaskConfig(config.driverConfig);
      if (errors.length > 0) {
        throw new DriverError(
          'invalid-config',
          `${spec.name}: invalid task config\n${formatConfigErrors(errors)}`,
          errors,
        );
      }
      if (tasks.has(config.id))
        throw new DriverError('start-failed', `${spec.name}: task ${config.id} already started`);
      const stateDir = join(config.allocDir, '.tsnomad', config.name);
      const prepared = await spec.prepare(config, stateDir);
      let launched;
      try {
        launched = await launchTask({
          argv: prepared.argv,
          env: prepared.env,
          cwd: prepared.cwd,
          stdoutPath: config.stdoutPath,
          stderrPath: config.stderrPath,
          stateDir,
          ...(prepared.cgroup
            ? { cgroupProcsFiles: Object.values(prepared.cgroup).map((d) => join(d, 'cgroup.procs')) }
            : {}),
        });
      } catch (err) {
        await prepared.cleanup?.();
        throw new DriverError('start-failed', `${spec.name}: ${(err as Error).message}`);
      }
      const st: ProcessState = {
        ...launched.task,
        stateDir,
        nsSupervised: prepared.nsSupervised,
        ...(prepared.cgroup ? { cgroup: prepared.cgroup } : {}),
      };
      const handle: TaskHandle = {
        version: 1,
        driver: spec.name,
        config,
        state: 'running',
        startedAtMs: Date.now(),
        driverState: st as unknown as { [key: string]: JsonValue },
      };
      track(handle, st, launched.exited);
      return { handle };
    },

    async recoverTask(handle: TaskHandle): Promise<void> {
      if (handle.version !== 1 || handle.driver !== spec.name) {
        throw new DriverError(
          'recover-failed',
          `${spec.name}: cannot recover a ${handle.driver} handle v${handle.version}`,
        );
      }
      if (tasks.has(handle.config.id)) return;
      const st = handle.driverState as unknown as ProcessState;
      if (typeof st.supervisorPid !== 'number' || typeof st.exitFile !== 'string') {
        throw new DriverError('recover-failed', `${spec.name}: handle has no supervisor state`);
      }
      track(handle, st, undefined);
    },

    waitTask: (taskId) => entry(taskId).done,

    async stopTask(taskId: string, timeoutNs: number, signal: string): Promise<void> {
      const e = entry(taskId);
      if (e.exit) return;
      await kill(e, signal || e.handle.config.killSignal || 'SIGINT');
      const timeoutMs = Math.max(0, timeoutNs / 1e6);
      const exitedInTime = await Promise.race([e.done.then(() => true), sleep(timeoutMs).then(() => false)]);
      if (exitedInTime) return;
      // The supervisor chain must survive to record the status; the task's processes die now.
      for (const pid of await signalTargets(e.state)) sendSignal(pid, 'SIGKILL');
      const done = await Promise.race([e.done.then(() => true), sleep(5_000).then(() => false)]);
      if (!done) await killUntilDone(e);
    },

    async destroyTask(taskId: string, force: boolean): Promise<void> {
      const e = tasks.get(taskId);
      if (!e) return;
      if (!e.exit) {
        if (!force) throw new DriverError('start-failed', `${spec.name}: task ${taskId} is still running`);
        await killUntilDone(e);
      }
      await rm(e.state.stateDir, { recursive: true, force: true });
      tasks.delete(taskId);
    },

    async inspectTask(taskId: string): Promise<TaskStatus> {
      const e = entry(taskId);
      return {
        id: taskId,
        name: e.handle.config.name,
        state: e.exit ? 'exited' : 'running',
        startedAtMs: e.handle.startedAtMs,
        ...(e.completedAtMs !== undefined ? { completedAtMs: e.completedAtMs } : {}),
        ...(e.exit ? { exitResult: e.exit } : {}),
        driverAttributes: { pid: String(e.state.taskPid) },
      };
    },

    async taskStats(taskId: string): Promise<TaskStats> {
      const e = entry(taskId);
      const now = Date.now();
      let cpuNs = 0;
      let userNs = 0;
      let systemNs = 0;
      const memory = { rss: 0, cache: 0, swap: 0, usage: 0, maxUsage: 0, measured: [] as string[] };
      let throttledPeriods = 0;
      let throttledTime = 0;
      if (e.state.cgroup && !e.exit) {
        const u = await cgroupUsage(e.state.cgroup);
        Object.assign(memory, {
          rss: u.rss,
          cache: u.cache,
          swap: u.swap,
          usage: u.usage,
          maxUsage: u.maxUsage,
        });
        memory.measured = ['RSS', 'Cache', 'Swap', 'Usage', 'Max Usage'];
        cpuNs = u.cpuNs;
        userNs = u.userNs;
        systemNs = u.systemNs;
        throttledPeriods = u.throttledPeriods;
        throttledTime = u.throttledTimeNs;
      } else {
        for (const s of e.exit ? [] : await processTree(e.state.taskPid, [e.state.taskPid])) {
          memory.rss += s.rssPages * PAGE_SIZE;
          userNs += (s.userTicks * 1e9) / CLOCK_TICKS;
          systemNs += (s.systemTicks * 1e9) / CLOCK_TICKS;
        }
        cpuNs = userNs + systemNs;
        memory.usage = memory.rss;
        memory.measured = ['RSS'];
      }
      const prev = e.lastCpu ?? { ns: 0, atMs: e.handle.startedAtMs };
      const elapsedNs = Math.max(1, (now - prev.atMs) * 1e6);
      const percent = Math.max(0, ((cpuNs - prev.ns) / elapsedNs) * 100);
      e.lastCpu = { ns: cpuNs, atMs: now };
      const mhz = cpus()[0]?.speed ?? 1000;
      const total = Math.max(1, userNs + systemNs);
      return {
        timestampMs: now,
        memory,
        cpu: {
          percent,
          totalTicks: (percent / 100) * mhz,
          userMode: (percent * userNs) / total,
          systemMode: (percent * systemNs) / total,
          throttledPeriods,
          throttledTime,
          measured: e.state.cgroup
            ? ['System Mode', 'User Mode', 'Percent', 'Throttled Periods', 'Throttled Time']
            : ['System Mode', 'User Mode', 'Percent'],
        },
      };
    },

    async signalTask(taskId: string, signal: string): Promise<void> {
      const e = entry(taskId);
      if (e.exit) throw new DriverError('not-found', `${spec.name}: task ${taskId} has exited`);
      await kill(e, signal);
    },

    async execTask(taskId: string, command: string[], options: ExecOptions = {}): Promise<ExecResult> {
      const e = entry(taskId);
      if (e.exit) throw new DriverError('not-found', `${spec.name}: task ${taskId} has exited`);
      if (command.length === 0) throw new DriverError('invalid-config', `${spec.name}: exec needs a command`);
      const argv = await spec.execArgv(e.state, e.handle.config, command);
      return runCollect(argv, e.handle.config, options);
    },

    async execTaskStreaming(taskId: string, command: string[], streams: ExecStreams): Promise<ExitResult> {
      const e = entry(taskId);
      if (e.exit) throw new DriverError('not-found', `${spec.name}: task ${taskId} has exited`);
      if (command.length === 0) throw new DriverError('invalid-config', `${spec.name}: exec needs a command`);
      const argv = await spec.execArgv(e.state, e.handle.config, command);
      return runStreaming(argv, e.handle.config, streams);
    },
  };
  return driver;
}

async function childrenOf(pid: number): Promise<number[]> {
  const stat = await readProcStat(pid);
  if (!stat) return [];
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text
    .trim()
    .split(/\s+/)
    .filter((s) => s !== '')
    .map(Number);
}
