/**
 * Running a one-off command next to a task (`alloc exec`): collected output with a timeout, or
 * streamed stdin/stdout/stderr. The argv already carries whatever isolation the driver needs.
 */
import { spawn } from 'node:child_process';
import type { ExecOptions, ExecResult, ExecStreams, ExitResult, TaskConfig } from '../driver.js';
import { sendSignal, signalNumber } from './signals.js';

function spawnInTask(argv: string[], config: TaskConfig) {
  const [cmd, ...args] = argv;
  return spawn(cmd!, args, {
    cwd: config.taskDir,
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...config.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
}

function exitOf(code: number | null, sig: NodeJS.Signals | null, error?: string): ExitResult {
  const signal = sig ? (signalNumber(sig) ?? 0) : 0;
  return {
    exitCode: code ?? (signal ? 128 + signal : -1),
    signal,
    oomKilled: false,
    ...(error ? { err: error } : {}),
  };
}

/** Run argv with streamed stdio; resolves with its exit. Effects: spawns a process. */
export function runStreaming(argv: string[], config: TaskConfig, streams: ExecStreams): Promise<ExitResult> {
  return new Promise((resolve) => {
    const child = spawnInTask(argv, config);
    child.stdout.pipe(streams.stdout, { end: false });
    child.stderr.pipe(streams.stderr, { end: false });
    child.stdin.on('error', () => undefined);
    if (streams.stdin) streams.stdin.pipe(child.stdin);
    else child.stdin.end();
    const abort = (): void => sendSignal(-child.pid!, 'SIGKILL');
    streams.signal?.addEventListener('abort', abort, { once: true });
    child.once('error', (err) => resolve(exitOf(-1, null, err.message)));
    child.once('close', (code, sig) => {
      streams.signal?.removeEventListener('abort', abort);
      if (streams.stdin) streams.stdin.unpipe(child.stdin);
      resolve(exitOf(code, sig));
    });
  });
}

/** Run argv, collect its output, kill it after `timeoutMs`. Effects: spawns a process. */
export function runCollect(argv: string[], config: TaskConfig, options: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawnInTask(argv, config);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // A command that never reads stdin may exit before we write it.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
    let timer: NodeJS.Timeout | undefined;
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => sendSignal(-child.pid!, 'SIGKILL'), options.timeoutMs);
    }
    const finish = (exitResult: ExitResult): void => {
      if (timer) clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err), exitResult });
    };
    child.once('error', (e) => finish(exitOf(-1, null, e.message)));
    child.once('close', (code, sig) => finish(exitOf(code, sig)));
  });
}
