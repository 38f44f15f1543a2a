/**
 * Runs the BUILT `tsnomad` binary (dist/cli/main.js) as a child process on loopback with an
 * ephemeral port, and talks to it only over HTTP. Every process started here is stopped by
 * the test that started it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built command. `npm test` builds it first when it is missing or stale. */
export const TSNOMAD_BIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface AgentProcess {
  readonly address: string;
  readonly proc: ChildProcess;
  readonly configPath: string;
  /** Everything the agent printed so far (stdout and stderr). */
  output(): string;
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code when the process exits by itself (cleans up like stop). */
  exited(): Promise<number | null>;
}

/** Starts `tsnomad agent -dev -config <file> -log-json` with `ports { http = 0 }` plus `extraConfig`. */
export async function spawnAgent(extraConfig = '', args: string[] = []): Promise<AgentProcess> {
  if (!existsSync(TSNOMAD_BIN))
    throw new Error(`${TSNOMAD_BIN} is missing: run npm run build (npm test builds it)`);
  const dir = mkdtempSync(join(tmpdir(), 'tsnomad-e2e-'));
  const configPath = join(dir, 'agent.hcl');
  writeFileSync(configPath, `ports {\n  http = 0\n}\n${extraConfig}\n`);
  const proc = spawn(
    process.execPath,
    [TSNOMAD_BIN, 'agent', '-dev', '-config', configPath, '-log-json', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent did not start in 30 s:\n${out}`)), 30_000);
    const check = () => {
      const m = /"address":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited with ${code} before starting:\n${out}`));
    });
  });
  return {
    address,
    proc,
    configPath,
    output: () => out,
    async exited() {
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
