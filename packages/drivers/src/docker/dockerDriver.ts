import { createWriteStream, mkdirSync } from 'node:fs';
import { PassThrough } from 'node:stream';

import Docker from 'dockerode';

import { formatConfigErrors, validateConfig, type ConfigError } from '../configSchema.js';
import {
  DriverError,
  type Capabilities,
  type ExecOptions,
  type ExecResult,
  type ExecStreams,
  type ExitResult,
  type Fingerprint,
  type StartResult,
  type TaskConfig,
  type TaskDriver,
  type TaskHandle,
  type TaskStats,
  type TaskStatus,
} from '../driver.js';
import {
  LABEL_TASK_ID,
  buildContainerOptions,
  checkDockerPolicy,
  dockerPluginConfigSchema,
  dockerTaskConfigSchema,
  parseDurationMs,
  type DockerPluginConfig,
  type DockerTaskConfig,
} from './config.js';

const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
};

interface LogFollower {
  close(): void;
}

interface Tracked {
  handle: TaskHandle;
  container: Docker.Container;
  exit: Promise<ExitResult>;
  exited?: ExitResult;
  completedAtMs?: number;
  logs: LogFollower;
}

/** Options of {@link createDockerDriver}: the plugin config plus an injectable client for tests. */
export interface DockerDriverOptions {
  /** `plugin "docker" { config { ... } }` as decoded; validated on creation. */
  config?: Record<string, unknown>;
  /** A ready client; by default one is built from `config.endpoint` or `$DOCKER_HOST`. */
  client?: Docker;
}

function clientFor(endpoint: string | undefined): Docker {
  const ep = endpoint ?? process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock';
  if (ep.startsWith('unix://')) return new Docker({ socketPath: ep.slice('unix://'.length) });
  const u = new URL(ep.replace(/^tcp:/, 'http:'));
  return new Docker({
    host: u.hostname,
    port: Number(u.port || 2375),
    protocol: u.protocol === 'https:' ? 'https' : 'http',
  });
}

function isNotFound(e: unknown): boolean {
  return (e as { statusCode?: number }).statusCode === 404;
}

/** The container name Nomad uses: `<task>-<alloc id>`. */
function containerName(task: TaskConfig): string {
  return `${task.name}-${task.allocId}`.replace(/[^a-zA-Z0-9_.-]/g, '_');
}

/**
 * Creates the docker driver over the Docker Engine API (dockerode): pulls images when missing, runs
 * one container per task with ports, mounts, limits and privileges from its config, streams its logs
 * to the task's log files, and finds the container again by id after an agent restart.
 * Effects: talks to the container engine; creates and removes containers.
 *
 * @example
 * const docker = createDockerDriver({ config: { allow_privileged: false } });
 * const { handle } = await docker.startTask({ ...task, driverConfig: { image: 'redis:7', ports: ['db'] } });
 */
export function createDockerDriver(opts: DockerDriverOptions = {}): TaskDriver {
  const pc = validateConfig(dockerPluginConfigSchema, opts.config ?? {}, 'plugin.docker.config');
  if (pc.errors.length > 0) throw new DriverError('invalid-config', formatConfigErrors(pc.errors), pc.errors);
  const plugin: DockerPluginConfig = pc.value;
  const docker = opts.client ?? clientFor(plugin.endpoint);
  const tasks = new Map<string, Tracked>();

  function get(taskId: string): Tracked {
    const t = tasks.get(taskId);
    if (!t) throw new DriverError('not-found', `docker: no task ${taskId} (not started or recovered here)`);
    return t;
  }

  function decode(driverConfig: Record<string, unknown>): { cfg: DockerTaskConfig; errors: ConfigError[] } {
    const r = validateConfig(dockerTaskConfigSchema, driverConfig, 'config');
    return { cfg: r.value, errors: r.errors };
  }

  async function ensureImage(cfg: DockerTaskConfig): Promise<void> {
    if (!cfg.force_pull) {
      try {
        await docker.getImage(cfg.image).inspect();
        return;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    const auth = cfg.auth?.username
      ? {
          username: cfg.auth.username,
          password: cfg.auth.password ?? '',
          ...(cfg.auth.email ? { email: cfg.auth.email } : {}),
          serveraddress: cfg.auth.server_address ?? '',
        }
      : undefined;
    const timeoutMs = parseDurationMs(cfg.image_pull_timeout ?? plugin.pull_timeout) ?? 300_000;
    const stream = await docker.pull(cfg.image, auth ? { authconfig: auth } : {});
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`pull of ${cfg.image} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      docker.modem.followProgress(stream, (e: Error | null, out: { error?: string }[]) => {
        clearTimeout(timer);
        const failed = out?.find((o) => o.error);
        if (e || failed) reject(e ?? new Error(failed?.error));
        else resolve();
      });
    });
  }

  async function exitOf(container: Docker.Container): Promise<ExitResult> {
    const info = await container.inspect();
    const s = info.State;
    return { exitCode: s.ExitCode, signal: 0, oomKilled: Boolean(s.OOMKilled) };
  }

  /**
   * Follows the container's output into the task's log files. Not awaited: an engine may hold the
   * response headers until the container first writes, and a silent task must still start.
   */
  function attachLogs(task: TaskConfig, container: Docker.Container, sinceSec: number): LogFollower {
    const files = [
      createWriteStream(task.stdoutPath, { flags: 'a' }),
      createWriteStream(task.stderrPath, { flags: 'a' }),
    ];
    const abort = new AbortController();
    const o = new PassThrough();
    const e = new PassThrough();
    o.pipe(files[0]!);
    e.pipe(files[1]!);
    const end = (): void => {
      o.end();
      e.end();
    };
    const opts = {
      follow: true as const,
      stdout: true,
      stderr: true,
      since: sinceSec,
      abortSignal: abort.signal,
    };
    container.logs(opts).then((stream: NodeJS.ReadableStream) => {
      docker.modem.demuxStream(stream, o, e);
      stream.on('end', end);
      stream.on('error', end);
    }, end);
    return {
      close() {
        abort.abort();
        end();
      },
    };
  }

  function track(handle: TaskHandle, container: Docker.Container, logs: LogFollower): Tracked {
    const t: Tracked = { handle, container, logs, exit: Promise.resolve(undefined as never) };
    t.exit = container
      .wait()
      .then(async (w: { StatusCode: number }) => {
        const r = await exitOf(container).catch(() => ({
          exitCode: w.StatusCode,
          signal: 0,
          oomKilled: false,
        }));
        // Engines report death by signal as 128 + signo; surface the signal as Nomad does.
        const signal = w.StatusCode > 128 && w.StatusCode <= 128 + 64 ? w.StatusCode - 128 : 0;
        return { ...r, exitCode: w.StatusCode, signal };
      })
      .catch((e: unknown) => ({
        exitCode: -1,
        signal: 0,
        oomKilled: false,
        err: `lost the container: ${String(e)}`,
      }))
      .then((r) => {
        t.exited = r;
        t.completedAtMs = Date.now();
        t.handle.state = 'exited';
        return r;
      });
    tasks.set(handle.config.id, t);
    return t;
  }

  async function waitOrTimeout(t: Tracked, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
    const done = await Promise.race([t.exit.then(() => true), timeout]);
    clearTimeout(timer);
    return done;
  }

  const driver: TaskDriver = {
    name: 'docker',
    pluginConfigSchema: dockerPluginConfigSchema,
    taskConfigSchema: dockerTaskConfigSchema,

    async fingerprint(): Promise<Fingerprint> {
      try {
        const v = await docker.version();
        const attributes: Record<string, string> = {
          'driver.docker': '1',
          'driver.docker.version': v.Version,
          'driver.docker.os_type': v.Os,
        };
        if (plugin.allow_privileged) attributes['driver.docker.privileged.enabled'] = 'true';
        if (plugin.volumes?.enabled) attributes['driver.docker.volumes.enabled'] = 'true';
        return { health: 'healthy', healthDescription: 'Healthy', attributes };
      } catch (e) {
        return {
          health: 'undetected',
          healthDescription: `Failed to connect to the docker daemon: ${(e as Error).message}`,
          attributes: {},
        };
      }
    },

    capabilities(): Capabilities {
      return {
        sendSignals: true,
        exec: true,
        fsIsolation: 'image',
        netIsolationModes: ['host', 'group', 'task'],
        mustInitiateNetwork: false,
        mountConfigs: 'all',
      };
    },

    validateTaskConfig(driverConfig) {
      const { cfg, errors } = decode(driverConfig);
      return errors.length > 0 ? errors : checkDockerPolicy(cfg, plugin, {});
    },

    async startTask(task): Promise<StartResult> {
      const { cfg, errors } = decode(task.driverConfig);
      const all = [...errors, ...(errors.length === 0 ? checkDockerPolicy(cfg, plugin, task) : [])];
      if (all.length > 0) throw new DriverError('invalid-config', formatConfigErrors(all), all);
      for (const d of [`${task.allocDir}/alloc/logs`, `${task.taskDir}/local`, `${task.taskDir}/secrets`]) {
        mkdirSync(d, { recursive: true });
      }
      let container: Docker.Container;
      try {
        await ensureImage(cfg);
        container = await docker.createContainer(buildContainerOptions(task, cfg, containerName(task)));
      } catch (e) {
        throw new DriverError(
          'start-failed',
          `docker: could not create the container for ${cfg.image}: ${(e as Error).message}`,
        );
      }
      const startedAtMs = Date.now();
      try {
        await container.start();
      } catch (e) {
        await container.remove({ force: true }).catch(() => undefined);
        throw new DriverError('start-failed', `docker: container did not start: ${(e as Error).message}`);
      }
      // Following logs needs a started container (podman ends the stream of a created one); since=0
      // replays what the task printed before we attached.
      const logs = attachLogs(task, container, 0);
      const info = await container.inspect();
      const handle: TaskHandle = {
        version: 1,
        driver: 'docker',
        config: task,
        state: 'running',
        startedAtMs,
        driverState: { containerId: container.id, image: cfg.image, imageId: info.Image },
      };
      track(handle, container, logs);
      const portMap: Record<string, number> = {};
      for (const l of cfg.ports ?? []) {
        const p = task.ports?.find((x) => x.label === l);
        if (p) portMap[l] = p.to !== undefined && p.to > 0 ? p.to : p.value;
      }
      const ip = Object.values(info.NetworkSettings.Networks ?? {})[0]?.IPAddress ?? '';
      return { handle, network: { portMap, ip, autoAdvertise: false } };
    },

    async recoverTask(handle) {
      if (handle.driver !== 'docker' || handle.version !== 1) {
        throw new DriverError(
          'recover-failed',
          `docker: cannot recover a ${handle.driver} handle (version ${handle.version})`,
        );
      }
      if (tasks.has(handle.config.id)) return;
      const id = handle.driverState['containerId'];
      if (typeof id !== 'string')
        throw new DriverError('recover-failed', 'docker: handle has no containerId');
      const container = docker.getContainer(id);
      try {
        await container.inspect();
      } catch (e) {
        throw new DriverError('recover-failed', `docker: container ${id} is gone: ${(e as Error).message}`);
      }
      // Only logs written after the restart: earlier lines are already in the files.
      const logs = attachLogs(handle.config, container, Math.floor(Date.now() / 1000));
      track({ ...handle }, container, logs);
    },

    waitTask(taskId) {
      return get(taskId).exit;
    },

    async stopTask(taskId, timeoutNs, signal) {
      const t = get(taskId);
      if (t.exited) return;
      await t.container.kill({ signal: signal || 'SIGTERM' }).catch(() => undefined);
      if (!(await waitOrTimeout(t, timeoutNs / 1e6))) {
        await t.container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
        await t.exit;
      }
    },

    async destroyTask(taskId, force) {
      const t = tasks.get(taskId);
      if (!t) return;
      if (!t.exited) {
        if (!force)
          throw new DriverError('unsupported', `docker: task ${taskId} is still running; stop it or force`);
        await t.container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
        await t.exit;
      }
      await t.container.remove({ force: true, v: true }).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
      t.logs.close();
      tasks.delete(taskId);
    },

    async inspectTask(taskId): Promise<TaskStatus> {
      const t = get(taskId);
      const info = await t.container.inspect().catch(() => undefined);
      return {
        id: taskId,
        name: t.handle.config.name,
        state: t.exited ? 'exited' : info?.State.Running ? 'running' : 'unknown',
        startedAtMs: t.handle.startedAtMs,
        ...(t.completedAtMs !== undefined ? { completedAtMs: t.completedAtMs } : {}),
        ...(t.exited ? { exitResult: t.exited } : {}),
        driverAttributes: { container_id: t.container.id, ...(info ? { image_id: info.Image } : {}) },
      };
    },

    async taskStats(taskId): Promise<TaskStats> {
      const t = get(taskId);
      const s = (await t.container.stats({ stream: false })) as Docker.ContainerStats;
      const cpuDelta = s.cpu_stats.cpu_usage.total_usage - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
      const sysDelta = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
      const cores = s.cpu_stats.online_cpus || 1;
      const percent = sysDelta > 0 ? (cpuDelta / sysDelta) * cores * 100 : 0;
      const usage = s.memory_stats.usage ?? 0;
      const stats = s.memory_stats.stats as Partial<Record<string, number>> | undefined;
      const rss = stats?.['rss'] ?? stats?.['anon'] ?? usage;
      return {
        timestampMs: Date.now(),
        cpu: {
          systemMode: 0,
          userMode: 0,
          totalTicks: 0,
          throttledPeriods: s.cpu_stats.throttling_data?.throttled_periods ?? 0,
          throttledTime: s.cpu_stats.throttling_data?.throttled_time ?? 0,
          percent,
          measured: ['Percent', 'Throttled Periods', 'Throttled Time'],
        },
        memory: {
          rss,
          cache: stats?.['cache'] ?? 0,
          swap: 0,
          usage,
          maxUsage: s.memory_stats.max_usage ?? 0,
          measured: ['RSS', 'Usage'],
        },
      };
    },

    async signalTask(taskId, signal) {
      const t = get(taskId);
      if (SIGNALS[signal] === undefined && !/^SIG[A-Z0-9]+$/.test(signal)) {
        throw new DriverError('unsupported', `docker: unknown signal ${signal}`);
      }
      await t.container.kill({ signal });
    },

    async execTask(taskId, command, options: ExecOptions = {}): Promise<ExecResult> {
      const t = get(taskId);
      const withStdin = options.stdin !== undefined;
      const exec = await t.container.exec({
        Cmd: command,
        AttachStdout: true,
        AttachStderr: true,
        AttachStdin: withStdin,
      });
      const stream = await exec.start({ hijack: true, stdin: withStdin });
      const out: Buffer[] = [];
      const errs: Buffer[] = [];
      const o = new PassThrough();
      const e = new PassThrough();
      o.on('data', (d: Buffer) => out.push(d));
      e.on('data', (d: Buffer) => errs.push(d));
      docker.modem.demuxStream(stream, o, e);
      if (withStdin) stream.end(options.stdin);
      const finished = new Promise<void>((resolve) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
      });
      let timedOut = false;
      if (options.timeoutMs !== undefined) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          finished,
          new Promise<void>((r) => (timer = setTimeout(() => ((timedOut = true), r()), options.timeoutMs))),
        ]);
        clearTimeout(timer);
        if (timedOut) stream.destroy();
      } else {
        await finished;
      }
      const info = await exec.inspect();
      return {
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(errs),
        exitResult: {
          exitCode: info.ExitCode ?? -1,
          signal: 0,
          oomKilled: false,
          ...(timedOut ? { err: `exec timed out after ${options.timeoutMs} ms` } : {}),
        },
      };
    },

    async execTaskStreaming(taskId, command, streams: ExecStreams): Promise<ExitResult> {
      const t = get(taskId);
      const withStdin = streams.stdin !== undefined;
      const exec = await t.container.exec({
        Cmd: command,
        AttachStdout: true,
        AttachStderr: true,
        AttachStdin: withStdin,
      });
      const stream = await exec.start({ hijack: true, stdin: withStdin });
      const o = new PassThrough();
      const e = new PassThrough();
      o.on('data', (d: Buffer) => streams.stdout.write(d));
      e.on('data', (d: Buffer) => streams.stderr.write(d));
      docker.modem.demuxStream(stream, o, e);
      if (streams.stdin) {
        streams.stdin.on('data', (d: Buffer) => stream.write(d));
        // Half-close so the command sees EOF on its stdin.
        streams.stdin.on('end', () => (stream as unknown as { end(): void }).end());
      }
      let aborted = false;
      const onAbort = (): void => {
        aborted = true;
        stream.destroy();
      };
      streams.signal?.addEventListener('abort', onAbort, { once: true });
      await new Promise<void>((resolve) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
      });
      streams.signal?.removeEventListener('abort', onAbort);
      const info = await exec.inspect();
      return {
        exitCode: info.ExitCode ?? -1,
        signal: 0,
        oomKilled: false,
        ...(aborted ? { err: 'exec session aborted' } : {}),
      };
    },
  };
  return driver;
}

/** Containers carrying tsnomad's task label; used to find orphans. Effects: queries the engine. */
export async function listTaskContainers(client: Docker, taskId?: string): Promise<Docker.ContainerInfo[]> {
  return client.listContainers({
    all: true,
    filters: { label: [taskId ? `${LABEL_TASK_ID}=${taskId}` : LABEL_TASK_ID] },
  });
}
