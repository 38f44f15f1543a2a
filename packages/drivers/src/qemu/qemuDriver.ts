import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { promisify } from 'node:util';

import { formatConfigErrors, validateConfig, type ConfigError } from '../configSchema.js';
import {
  DriverError,
  type Capabilities,
  type ExitResult,
  type Fingerprint,
  type StartResult,
  type TaskDriver,
  type TaskHandle,
  type TaskStats,
  type TaskStatus,
} from '../driver.js';
import {
  buildQemuArgs,
  checkQemuPolicy,
  monitorPathFor,
  qemuPluginConfigSchema,
  qemuTaskConfigSchema,
  type QemuPluginConfig,
  type QemuTaskConfig,
} from './config.js';

const execFileP = promisify(execFile);
const SIGNAL_NUMBERS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
};

interface Tracked {
  handle: TaskHandle;
  /** The wrapper shell: leader of the task's process group; qemu is its only child. */
  pid: number;
  monitorPath?: string;
  exitFile: string;
  killed: boolean;
  exit: Promise<ExitResult>;
  exited?: ExitResult;
  completedAtMs?: number;
  lastCpu?: { ticks: number; atMs: number };
}

/** Options of {@link createQemuDriver}. */
export interface QemuDriverOptions {
  /** `plugin "qemu" { config { ... } }` as decoded; validated on creation. */
  config?: Record<string, unknown>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat): guards pid reuse. */
function procStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/**
 * Sends one command to qemu's human monitor and resolves once it was written after the prompt.
 * Effects: connects to the monitor's unix socket.
 */
export function monitorCommand(path: string, command: string, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    let buf = '';
    let sent = false;
    const timer = setTimeout(
      () => s.destroy(new Error(`qemu monitor ${path}: no prompt within ${timeoutMs} ms`)),
      timeoutMs,
    );
    s.on('data', (d: Buffer) => {
      buf += d.toString();
      if (!sent && buf.includes('(qemu)')) {
        sent = true;
        buf = '';
        s.write(`${command}\n`);
      } else if (sent && buf.includes('(qemu)')) {
        // The second prompt means qemu accepted the command.
        clearTimeout(timer);
        s.end();
        resolve();
      }
    });
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(timer);
      if (sent) resolve();
    });
  });
}

const SLEEP = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Creates the qemu driver: boots a disk image with qemu-system-x86_64 (tcg, or kvm where present),
 * memory from the task's resources, user-mode port forwards from `port_map`, and stops it gracefully
 * through the monitor socket (`system_powerdown`) before SIGKILL after kill_timeout. qemu runs under a
 * small detached wrapper that records its exit status, so a restarted agent still learns how it ended.
 * Effects: spawns and kills processes; writes the task's log files.
 *
 * @example
 * const qemu = createQemuDriver({ config: { image_paths: ['/var/lib/images'] } });
 * await qemu.startTask({ ...task, driverConfig: { image_path: 'local/linux.img', graceful_shutdown: true } });
 */
export function createQemuDriver(opts: QemuDriverOptions = {}): TaskDriver {
  const pc = validateConfig(qemuPluginConfigSchema, opts.config ?? {}, 'plugin.qemu.config');
  if (pc.errors.length > 0) throw new DriverError('invalid-config', formatConfigErrors(pc.errors), pc.errors);
  const plugin: QemuPluginConfig = pc.value;
  const tasks = new Map<string, Tracked>();

  function get(taskId: string): Tracked {
    const t = tasks.get(taskId);
    if (!t) throw new DriverError('not-found', `qemu: no task ${taskId} (not started or recovered here)`);
    return t;
  }

  function decode(c: Record<string, unknown>): { cfg: QemuTaskConfig; errors: ConfigError[] } {
    const r = validateConfig(qemuTaskConfigSchema, c, 'config');
    return { cfg: r.value, errors: r.errors };
  }

  function readExit(t: Tracked): ExitResult {
    let raw: string | undefined;
    try {
      raw = readFileSync(t.exitFile, 'utf8').trim();
    } catch {
      raw = undefined;
    }
    if (raw !== undefined && /^\d+$/.test(raw)) {
      const code = Number(raw);
      // The wrapper shell reports death by signal as 128 + signo.
      const signal = code > 128 && code <= 128 + 64 ? code - 128 : 0;
      return { exitCode: code, signal, oomKilled: false };
    }
    if (t.killed) return { exitCode: 137, signal: 9, oomKilled: false };
    return {
      exitCode: -1,
      signal: 0,
      oomKilled: false,
      err: 'qemu exited but its exit status was not recorded',
    };
  }

  function track(t: Omit<Tracked, 'exit'>, onExit: Promise<void>): Tracked {
    const tracked = t as Tracked;
    tracked.exit = onExit.then(() => {
      const r = readExit(tracked);
      tracked.exited = r;
      tracked.completedAtMs = Date.now();
      tracked.handle.state = 'exited';
      if (tracked.monitorPath) rmSync(tracked.monitorPath, { force: true });
      return r;
    });
    tasks.set(t.handle.config.id, tracked);
    return tracked;
  }

  async function pollGone(pid: number): Promise<void> {
    while (alive(pid) || groupAlive(pid)) await SLEEP(100);
  }

  async function waitOrTimeout(t: Tracked, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
    const done = await Promise.race([t.exit.then(() => true), timeout]);
    clearTimeout(timer);
    return done;
  }

  function killGroup(t: Tracked): void {
    t.killed = true;
    try {
      process.kill(-t.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  function qemuPid(t: Tracked): number | undefined {
    return childrenOf(t.pid)[0];
  }

  const driver: TaskDriver = {
    name: 'qemu',
    pluginConfigSchema: qemuPluginConfigSchema,
    taskConfigSchema: qemuTaskConfigSchema,

    async fingerprint(): Promise<Fingerprint> {
      try {
        const { stdout } = await execFileP(plugin.emulator, ['--version']);
        const m = /version (\d+\.\d+\.\d+)/.exec(stdout);
        if (!m?.[1])
          return {
            health: 'unhealthy',
            healthDescription: `unrecognised qemu version: ${stdout}`,
            attributes: {},
          };
        const attributes: Record<string, string> = { 'driver.qemu': '1', 'driver.qemu.version': m[1] };
        return { health: 'healthy', healthDescription: 'Healthy', attributes };
      } catch (e) {
        return {
          health: 'undetected',
          healthDescription: `${plugin.emulator} not found (Debian: qemu-system-x86): ${(e as Error).message}`,
          attributes: {},
        };
      }
    },

    capabilities(): Capabilities {
      return {
        sendSignals: false,
        exec: false,
        fsIsolation: 'image',
        netIsolationModes: ['host'],
        mustInitiateNetwork: false,
        mountConfigs: 'none',
      };
    },

    validateTaskConfig(c) {
      const { cfg, errors } = decode(c);
      return errors.length > 0 ? errors : checkQemuPolicy(cfg, plugin, undefined);
    },

    async startTask(task): Promise<StartResult> {
      const { cfg, errors } = decode(task.driverConfig);
      const all = [...errors, ...(errors.length === 0 ? checkQemuPolicy(cfg, plugin, task) : [])];
      if (all.length > 0) throw new DriverError('invalid-config', formatConfigErrors(all), all);
      mkdirSync(task.taskDir, { recursive: true });
      const monitorPath = cfg.graceful_shutdown ? monitorPathFor(task) : undefined;
      if (monitorPath) rmSync(monitorPath, { force: true });
      const exitFile = `${task.taskDir}/.qemu-exit-status`;
      rmSync(exitFile, { force: true });
      const args = buildQemuArgs(task, cfg, monitorPath);
      const out = openSync(task.stdoutPath, 'a');
      const errFd = openSync(task.stderrPath, 'a');
      // The wrapper outlives the agent (detached, own process group) and records qemu's status.
      const child = spawn(
        '/bin/sh',
        ['-c', '"$@"; echo $? > "$TSNOMAD_EXIT_FILE"', 'qemu-wrapper', plugin.emulator, ...args],
        {
          detached: true,
          stdio: ['ignore', out, errFd],
          env: { ...process.env, ...task.env, TSNOMAD_EXIT_FILE: exitFile },
          cwd: task.taskDir,
        },
      );
      closeSync(out);
      closeSync(errFd);
      const pid = child.pid;
      if (pid === undefined)
        throw new DriverError('start-failed', `qemu: could not spawn ${plugin.emulator}`);
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.unref();
      const handle: TaskHandle = {
        version: 1,
        driver: 'qemu',
        config: task,
        state: 'running',
        startedAtMs: Date.now(),
        driverState: { pid, startTime: procStartTime(pid) ?? '', exitFile, monitorPath: monitorPath ?? null },
      };
      track({ handle, pid, exitFile, killed: false, ...(monitorPath ? { monitorPath } : {}) }, exited);
      const portMap: Record<string, number> = { ...(cfg.port_map ?? {}) };
      return { handle, network: { portMap, ip: '', autoAdvertise: false } };
    },

    async recoverTask(handle) {
      if (handle.driver !== 'qemu' || handle.version !== 1) {
        throw new DriverError(
          'recover-failed',
          `qemu: cannot recover a ${handle.driver} handle (version ${handle.version})`,
        );
      }
      if (tasks.has(handle.config.id)) return;
      const s = handle.driverState;
      const pid = s['pid'];
      const exitFile = s['exitFile'];
      if (typeof pid !== 'number' || typeof exitFile !== 'string') {
        throw new DriverError('recover-failed', 'qemu: handle lacks pid or exitFile');
      }
      const running = alive(pid) && procStartTime(pid) === s['startTime'];
      if (!running && !existsSync(exitFile)) {
        throw new DriverError('recover-failed', `qemu: process ${pid} is gone and left no exit status`);
      }
      const monitorPath = typeof s['monitorPath'] === 'string' ? s['monitorPath'] : undefined;
      track(
        { handle: { ...handle }, pid, exitFile, killed: false, ...(monitorPath ? { monitorPath } : {}) },
        running ? pollGone(pid) : Promise.resolve(),
      );
    },

    waitTask(taskId) {
      return get(taskId).exit;
    },

    async stopTask(taskId, timeoutNs, signal) {
      const t = get(taskId);
      if (t.exited) return;
      if (t.monitorPath) {
        // Graceful: ACPI power button; the guest OS shuts down and qemu exits.
        // Right after start qemu may not have opened the monitor yet: retry briefly.
        for (let i = 0; i < 50 && !t.exited; i++) {
          const ok = await monitorCommand(t.monitorPath, 'system_powerdown').then(
            () => true,
            () => false,
          );
          if (ok) break;
          await SLEEP(100);
        }
      } else {
        const q = qemuPid(t);
        try {
          if (q !== undefined) process.kill(q, SIGNAL_NUMBERS[signal] !== undefined ? signal : 'SIGTERM');
        } catch {
          // exited meanwhile
        }
      }
      if (!(await waitOrTimeout(t, timeoutNs / 1e6))) {
        killGroup(t);
        await t.exit;
      }
    },

    async destroyTask(taskId, force) {
      const t = tasks.get(taskId);
      if (!t) return;
      if (!t.exited) {
        if (!force)
          throw new DriverError('unsupported', `qemu: task ${taskId} is still running; stop it or force`);
        killGroup(t);
        await t.exit;
      }
      rmSync(t.exitFile, { force: true });
      tasks.delete(taskId);
    },

    async inspectTask(taskId): Promise<TaskStatus> {
      const t = get(taskId);
      return {
        id: taskId,
        name: t.handle.config.name,
        state: t.exited ? 'exited' : 'running',
        startedAtMs: t.handle.startedAtMs,
        ...(t.completedAtMs !== undefined ? { completedAtMs: t.completedAtMs } : {}),
        ...(t.exited ? { exitResult: t.exited } : {}),
        driverAttributes: { pid: String(t.pid) },
      };
    },

    async taskStats(taskId): Promise<TaskStats> {
      const t = get(taskId);
      const pids = [t.pid, ...childrenOf(t.pid)];
      const sample = (): number => pids.reduce((a, p) => a + (alive(p) ? cpuTicks(p) : 0), 0);
      if (!t.lastCpu) {
        t.lastCpu = { ticks: sample(), atMs: Date.now() };
        await SLEEP(100);
      }
      const ticks = sample();
      const now = Date.now();
      // /proc reports clock ticks of 10 ms (USER_HZ = 100).
      const percent = Math.max(0, ((ticks - t.lastCpu.ticks) * 10 * 100) / Math.max(1, now - t.lastCpu.atMs));
      t.lastCpu = { ticks, atMs: now };
      const rss = pids.reduce((a, p) => a + (alive(p) ? rssBytes(p) : 0), 0);
      return {
        timestampMs: now,
        cpu: {
          systemMode: 0,
          userMode: 0,
          totalTicks: ticks,
          throttledPeriods: 0,
          throttledTime: 0,
          percent,
          measured: ['Percent', 'Total Ticks'],
        },
        memory: { rss, cache: 0, swap: 0, usage: rss, maxUsage: 0, measured: ['RSS'] },
      };
    },

    async signalTask(taskId, signal) {
      const t = get(taskId);
      const q = qemuPid(t);
      if (SIGNAL_NUMBERS[signal] === undefined)
        throw new DriverError('unsupported', `qemu: unknown signal ${signal}`);
      try {
        if (q !== undefined) process.kill(q, signal);
      } catch {
        // exited meanwhile
      }
    },

    async execTask() {
      throw new DriverError('unsupported', 'qemu: exec is not supported (no guest agent channel)');
    },
  };
  return driver;
}
