/**
 * The built `tsnomad agent` command: configuration errors and exit codes, SIGHUP reloading the
 * log level, a graceful SIGINT that answers in-flight requests, and Prometheus metrics that
 * pass `promtool check metrics`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnAgent, TSNOMAD_BIN, type AgentProcess } from './helpers/agentProcess.js';
import { call } from './helpers/http.js';

const dir = mkdtempSync(join(tmpdir(), 'tsnomad-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runAgent = (...args: string[]) =>
  spawnSync(process.execPath, [TSNOMAD_BIN, 'agent', ...args], { encoding: 'utf8', timeout: 30_000 });

async function until(fn: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('tsnomad agent: configuration errors', () => {
  it('refuses an unknown key with file:line:col and exits 1', () => {
    const f = join(dir, 'bad.hcl');
    writeFileSync(f, 'server {\n  enabled = true\n  bootstrap_expekt = 1\n}\n');
    const r = runAgent('-config', f);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${f}:3:3: unknown key "server.bootstrap_expekt"`);
  });

  it('refuses a bad value in a JSON file with its position and exits 1', () => {
    const f = join(dir, 'bad.json');
    writeFileSync(f, '{\n  "ports": {\n    "http": "x"\n  }\n}\n');
    const r = runAgent('-dev', '-config', f);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${f}:3:13: ports.http: expected an integer, got "x"`);
  });

  it('refuses a bad -log-level and an agent with neither server nor dev mode (exit 1)', () => {
    const bad = runAgent('-dev', '-log-level=loud');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Invalid log level: loud');
    const none = runAgent();
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('Must specify either server, client or dev mode');
  });

  it('answers an unknown flag as bad usage (exit 2)', () => {
    const r = runAgent('-no-such-flag');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--no-such-flag'");
  });
});

describe('tsnomad agent: signals', () => {
  let agent: AgentProcess | undefined;
  afterAll(async () => {
    if (agent) await agent.stop('SIGKILL');
  });

  it('SIGHUP reloads the log level from the configuration files', async () => {
    agent = await spawnAgent('log_level = "INFO"');
    await call(agent.address, 'GET', '/v1/job/missing-before');
    expect(agent.output()).not.toContain('missing-before');
    writeFileSync(agent.configPath, 'ports {\n  http = 0\n}\nlog_level = "DEBUG"\n');
    agent.proc.kill('SIGHUP');
    await until(() => agent!.output().includes('reloaded configuration'));
    expect(agent.output()).toContain('"log_level":"DEBUG"');
    await call(agent.address, 'GET', '/v1/job/missing-after');
    await until(() => agent!.output().includes('/v1/job/missing-after'));
    expect(agent.output()).toMatch(/"@level":"debug".*"path":"\/v1\/job\/missing-after".*"code":404/);
  });

  it('SIGINT stops gracefully: an in-flight blocking query is answered, exit code 0', async () => {
    const a = agent!;
    const jobs = await call(a.address, 'GET', '/v1/jobs');
    const blocked = call(a.address, 'GET', `/v1/jobs?index=${jobs.headers.get('x-nomad-index')}&wait=60s`);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    a.proc.kill('SIGINT');
    const answer = await blocked;
    expect(answer.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await a.exited()).toBe(0);
    expect(a.output()).toContain('shutdown complete');
    agent = undefined;
  });
});

describe('/v1/metrics?format=prometheus', () => {
  it('passes promtool check metrics', async () => {
    const which = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
    if (which.status !== 0)
      throw new Error(
        'promtool is not installed: install Debian package "prometheus" (scripts/ci-system-deps.sh does)',
      );
    const a = await spawnAgent();
    try {
      await call(a.address, 'GET', '/v1/jobs');
      await call(a.address, 'GET', '/v1/job/none');
      const m = await call(a.address, 'GET', '/v1/metrics?format=prometheus');
      expect(m.status).toBe(200);
      expect(m.text).toContain('nomad_nomad_broker_total_ready');
      const check = spawnSync('promtool', ['check', 'metrics'], { input: m.text, encoding: 'utf8' });
      expect(check.stdout + check.stderr).toBe('');
      expect(check.status).toBe(0);
    } finally {
      expect(await a.stop()).toBe(0);
    }
  });
});
