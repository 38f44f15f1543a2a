import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { shellScriptFor, type TaskDriver, type TaskHandle } from '../../src/index.js';
import { cgroupGone, type TaskCgroup } from '../../src/cgroups/cgroups.js';
import { createExecDriver } from '../../src/exec/execDriver.js';
import { isSameProcessAlive } from '../../src/process/procfs.js';
import { createRawExecDriver } from '../../src/rawexec/rawExecDriver.js';
import { assertNoProcesses } from '../helpers/leftovers.js';

const agentScript = fileURLToPath(new URL('./agentProcess.ts', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** Start a task from a separate "agent" process, then SIGKILL that process. Returns the handle. */
async function startInAgentThenCrash(driver: string, script: string): Promise<TaskHandle> {
  const agent = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', agentScript, driver, script],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  cleanups.push(async () => void agent.kill('SIGKILL'));
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    agent.stdout.on('data', (b: Buffer) => {
      buf += b.toString();
      if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
    });
    agent.once('exit', (code) => reject(new Error(`agent exited (${code}) before printing a handle`)));
  });
  const handle = JSON.parse(line) as TaskHandle;
  cleanups.push(() => rm(handle.config.allocDir, { recursive: true, force: true }));
  agent.kill('SIGKILL');
  await new Promise((r) => agent.once('exit', r));
  return handle;
}

async function untilStarted(stdoutPath: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await readFile(stdoutPath, 'utf8').catch(() => '')).includes('started')) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`task did not print "started" within 5s (${stdoutPath})`);
}

const drivers: [string, () => TaskDriver][] = [
  ['raw_exec', () => createRawExecDriver({ enabled: true })],
  ['exec', () => createExecDriver()],
];

describe.each(drivers)('%s survives an agent crash', (name, create) => {
  it('the task keeps running; a new agent recovers, stops it with its signal and its exit code, leaving nothing', async () => {
    const handle = await startInAgentThenCrash(
      name,
      shellScriptFor({ kind: 'trap', signal: 'SIGINT', code: 3 }),
    );
    const st = handle.driverState as { taskPid: number; taskStart: number; cgroup?: TaskCgroup };
    expect(await isSameProcessAlive(st.taskPid, st.taskStart)).toBe(true);
    await untilStarted(handle.config.stdoutPath);
    const driver = create();
    cleanups.push(() => driver.destroyTask(handle.config.id, true));
    await driver.recoverTask(handle);
    expect((await driver.inspectTask(handle.config.id)).state).toBe('running');
    await driver.stopTask(handle.config.id, 10e9, 'SIGINT');
    const exit = await driver.waitTask(handle.config.id);
    expect(exit).toMatchObject({ exitCode: 3, signal: 0, oomKilled: false });
    expect(await readFile(handle.config.stdoutPath, 'utf8')).toContain('got SIGINT');
    await driver.destroyTask(handle.config.id, false);
    await assertNoProcesses(handle);
    if (name === 'exec') expect(await cgroupGone(st.cgroup!)).toBe(true);
  });

  it('a task that exits while no agent runs reports its real exit code on recovery', async () => {
    const handle = await startInAgentThenCrash(name, 'sleep 0.3; exit 7');
    await new Promise((r) => setTimeout(r, 800));
    const driver = create();
    cleanups.push(() => driver.destroyTask(handle.config.id, true));
    await driver.recoverTask(handle);
    expect(await driver.waitTask(handle.config.id)).toMatchObject({ exitCode: 7, signal: 0 });
    await driver.destroyTask(handle.config.id, false);
    await assertNoProcesses(handle);
  });
});
