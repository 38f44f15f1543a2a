import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TaskConfig } from '../driver.js';

/** Options for {@link createTestTaskConfig}. */
export interface TestTaskOptions {
  name?: string;
  driverConfig: Record<string, unknown>;
  /** Parent directory for the allocation dir; defaults to the OS temp dir. */
  root?: string;
  env?: Record<string, string>;
  killSignal?: string;
  killTimeoutNs?: number;
  memoryMB?: number;
  memoryMaxMB?: number;
  cpuMHz?: number;
  user?: string;
}

/** A task config plus the function that removes its allocation directory. */
export interface TestTask {
  config: TaskConfig;
  cleanup(): Promise<void>;
}

/**
 * Create an allocation directory laid out as Nomad does (`alloc/logs`, `alloc/data`, `alloc/tmp`,
 * `<task>/local`, `<task>/secrets`, `<task>/tmp`) and a TaskConfig pointing into it.
 * Effects: creates directories under `root`.
 *
 * @example
 * const t = await createTestTaskConfig({ driverConfig: { command: '/bin/true' } });
 * try { await driver.startTask(t.config); } finally { await t.cleanup(); }
 */
export async function createTestTaskConfig(opts: TestTaskOptions): Promise<TestTask> {
  const name = opts.name ?? 'task';
  const allocId = randomUuid();
  const allocDir = await mkdtemp(join(opts.root ?? tmpdir(), `tsnomad-alloc-${allocId.slice(0, 8)}-`));
  const taskDir = join(allocDir, name);
  for (const d of [
    'alloc/logs',
    'alloc/data',
    'alloc/tmp',
    `${name}/local`,
    `${name}/secrets`,
    `${name}/tmp`,
  ]) {
    await mkdir(join(allocDir, d), { recursive: true });
  }
  const config: TaskConfig = {
    id: `${allocId}/${name}/${randomBytes(4).toString('hex')}`,
    name,
    jobName: 'conformance',
    jobId: 'conformance',
    taskGroupName: 'group',
    namespace: 'default',
    allocId,
    allocDir,
    taskDir,
    driverConfig: opts.driverConfig,
    env: { NOMAD_TASK_NAME: name, NOMAD_ALLOC_ID: allocId, ...opts.env },
    ...(opts.user !== undefined ? { user: opts.user } : {}),
    resources: {
      cpuMHz: opts.cpuMHz ?? 100,
      cores: 0,
      memoryMB: opts.memoryMB ?? 128,
      memoryMaxMB: opts.memoryMaxMB ?? 0,
    },
    killTimeoutNs: opts.killTimeoutNs ?? 5e9,
    killSignal: opts.killSignal ?? 'SIGINT',
    stdoutPath: join(allocDir, 'alloc', 'logs', `${name}.stdout.0`),
    stderrPath: join(allocDir, 'alloc', 'logs', `${name}.stderr.0`),
  };
  return { config, cleanup: () => rm(allocDir, { recursive: true, force: true }) };
}

function randomUuid(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
