/**
 * Starting a task process that outlives the agent. A tiny `sh` supervisor (its own process
 * group, detached from us) runs the task in a new session via `setsid`, waits for it and writes
 * its exit status to a file; a recovered driver reads that file, because only a parent can
 * learn a child's exit status. The task gets its own process group, so the supervisor never
 * receives the signals meant for the task.
 */
import { spawn } from 'node:child_process';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExitResult } from '../driver.js';
import { readProcStat } from './procfs.js';

/** What to run and where its output goes. */
export interface LaunchSpec {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  stdoutPath: string;
  stderrPath: string;
  /** Directory for the supervisor's files (exit status); outside anything the task can see. */
  stateDir: string;
  /** cgroup.procs files the task process joins before it runs `argv`. */
  cgroupProcsFiles?: string[];
}

/** Identity of a launched task: pids with start times so a reused pid is never mistaken for it. */
export interface LaunchedTask {
  supervisorPid: number;
  supervisorStart: number;
  /** The task's first process (a session and process-group leader); 0 if it exited before we saw it. */
  taskPid: number;
  taskStart: number;
  exitFile: string;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// $1 = exit file, rest = the task's argv. Writes the status atomically, preferring the one an
// inner supervisor (the exec driver's namespace init, which cannot reach the host's files after
// pivot_root) recorded in "$f.ns" through an inherited descriptor.
const SUPERVISOR =
  'f=$1; shift; "$@"; rc=$?; [ -e "$f" ] || { [ -s "$f.ns" ] && mv "$f.ns" "$f"; } || { echo $rc > "$f.tmp" && mv "$f.tmp" "$f"; }';
// $1 = count of cgroup.procs files, then the files, then argv: join the cgroups, then exec.
const JOIN =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"';

/**
 * Start `spec.argv` under a detached supervisor. Resolves once the task's pid is known (or it
 * already exited). Effects: spawns processes, creates `stateDir`, appends to the log files.
 */
export async function launchTask(spec: LaunchSpec): Promise<{ task: LaunchedTask; exited: Promise<void> }> {
  await mkdir(spec.stateDir, { recursive: true });
  const exitFile = join(spec.stateDir, 'exit');
  const out = await open(spec.stdoutPath, 'a');
  const err = await open(spec.stderrPath, 'a');
  const files = spec.cgroupProcsFiles ?? [];
  const inner =
    files.length > 0
      ? [
          '/usr/bin/setsid',
          '/bin/sh',
          '-c',
          JOIN,
          'tsnomad-join',
          String(files.length),
          ...files,
          ...spec.argv,
        ]
      : ['/usr/bin/setsid', ...spec.argv];
  const env = { ...spec.env, PATH: spec.env['PATH'] ?? DEFAULT_PATH };
  let child;
  try {
    child = spawn('/bin/sh', ['-c', SUPERVISOR, 'tsnomad-supervisor', exitFile, ...inner], {
      detached: true,
      stdio: ['ignore', out.fd, err.fd],
      env,
      cwd: spec.cwd,
    });
  } finally {
    await out.close();
    await err.close();
  }
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  // Kept referenced: a caller awaiting waitTask expects Node to stay up until the task exits.
  const supervisorPid = child.pid;
  if (supervisorPid === undefined) throw new Error('spawn of the task supervisor failed');
  const supStat = await readProcStat(supervisorPid);
  let taskPid = 0;
  let taskStart = 0;
  for (let i = 0; i < 200 && supStat !== undefined; i++) {
    const kids = await readFile(`/proc/${supervisorPid}/task/${supervisorPid}/children`, 'utf8').catch(
      () => '',
    );
    const pid = Number(kids.trim().split(/\s+/)[0]);
    const st = pid > 0 ? await readProcStat(pid) : undefined;
    if (st) {
      taskPid = pid;
      taskStart = st.startTime;
      break;
    }
    const sup = await readProcStat(supervisorPid);
    if (sup === undefined || sup.state === 'Z') break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return {
    task: { supervisorPid, supervisorStart: supStat?.startTime ?? 0, taskPid, taskStart, exitFile },
    exited,
  };
}

/**
 * Decode the supervisor's exit file into Nomad's ExitResult (128+N means signal N, as Nomad's
 * executor encodes it). Undefined while the file does not exist. Effects: reads the file.
 */
export async function readExitFile(exitFile: string): Promise<ExitResult | undefined> {
  const text = await readFile(exitFile, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const rc = Number(text.trim());
  if (!Number.isInteger(rc))
    return { exitCode: -1, signal: 0, oomKilled: false, err: `bad exit file: ${text}` };
  return { exitCode: rc, signal: rc > 128 && rc < 128 + 65 ? rc - 128 : 0, oomKilled: false };
}
