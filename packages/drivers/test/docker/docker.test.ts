import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { connect } from 'node:net';

import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';

import { conformanceCases } from '../../src/conformance/suite.js';
import { shellScriptFor } from '../../src/conformance/behaviours.js';
import { createTestTaskConfig } from '../../src/conformance/taskDirs.js';
import { createDockerDriver, listTaskContainers } from '../../src/docker/dockerDriver.js';
import { DriverError, type TaskDriver, type TaskHandle } from '../../src/driver.js';
import { startInDoomedAgent } from '../qemu/agentKill.js';
import { createBridgeNetworking } from '../../src/network/cniBridge.js';
import { createPortReserver } from '../../src/network/portReserver.js';

// A real engine: .ci/run starts podman's Docker API service and exports these two.
const DOCKER_HOST = process.env['DOCKER_HOST'];
const IMAGE = process.env['TEST_IMAGE'];
if (!DOCKER_HOST || !IMAGE) {
  throw new Error(
    'docker tests need a container engine: run eval "$(bash scripts/container-engine.sh start)" (sets DOCKER_HOST, TEST_IMAGE)',
  );
}
const client = new Docker({ socketPath: DOCKER_HOST.replace(/^unix:\/\//, '') });

async function assertGone(handle: TaskHandle): Promise<void> {
  const left = await listTaskContainers(client, handle.config.id);
  const running = left.filter((c) => c.State === 'running');
  if (running.length > 0) throw new Error(`container still running: ${running.map((c) => c.Id).join(', ')}`);
}

function readFrom(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    let data = '';
    s.setTimeout(5000, () => s.destroy(new Error(`timeout reading ${host}:${port}`)));
    s.on('data', (d) => (data += d.toString()));
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
}

async function retry<T>(f: () => Promise<T>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

// Task ids the conformance cases started, so the orphan check looks only at this file's containers
// (other test files may use the engine at the same time).
const started = new Set<string>();
function recording(d: TaskDriver): TaskDriver {
  return {
    ...d,
    startTask: (c) => {
      started.add(c.id);
      return d.startTask(c);
    },
  };
}

afterAll(async () => {
  // Every task the suite started was destroyed: no container of theirs may remain.
  const left = (await Promise.all([...started].map((id) => listTaskContainers(client, id)))).flat();
  for (const c of left) await client.getContainer(c.Id).remove({ force: true });
  expect(left.map((c) => c.Names)).toEqual([]);
});

describe('docker driver conformance (real engine)', () => {
  for (const c of conformanceCases({
    createDriver: () => recording(createDockerDriver()),
    taskConfigFor: (b) => ({ image: IMAGE, command: '/bin/sh', args: ['-c', shellScriptFor(b)] }),
    invalidTaskConfig: { config: { image: IMAGE, pids_limit: 'many' }, path: 'config.pids_limit' },
    assertGone,
  })) {
    it(c.name, c.run, c.timeoutMs);
  }
});

describe('docker driver specifics', () => {
  it('fingerprints the engine version', async () => {
    const fp = await createDockerDriver().fingerprint();
    expect(fp.attributes['driver.docker.version']).toMatch(/^\d+\.\d+/);
  });

  it('reports an unreachable engine as undetected, not as an exception', async () => {
    const fp = await createDockerDriver({
      config: { endpoint: 'unix:///nonexistent/docker.sock' },
    }).fingerprint();
    expect(fp.health).toBe('undetected');
    expect(fp.healthDescription).toContain('docker daemon');
  });

  it('refuses privileged unless the plugin allows it, and names the field', async () => {
    const d = createDockerDriver();
    const errs = d.validateTaskConfig({ image: IMAGE, privileged: true, cap_add: ['sys_admin'] });
    expect(errs.map((e) => e.path)).toEqual(['config.privileged', 'config.cap_add[0]']);
    const allowed = createDockerDriver({ config: { allow_privileged: true, allow_caps: ['all'] } });
    expect(allowed.validateTaskConfig({ image: IMAGE, privileged: true, cap_add: ['sys_admin'] })).toEqual(
      [],
    );
  });

  it('applies env, labels, limits, readonly rootfs and port mapping to the container', async () => {
    const d = createDockerDriver();
    const t = await createTestTaskConfig({
      driverConfig: {
        image: IMAGE,
        command: '/bin/sh',
        args: [
          '-c',
          'echo "port=$NOMAD_PORT_http"; touch /x 2>/dev/null || echo readonly; exec /bin/busybox nc -ll -p 8080 -e /bin/echo hi-from-container',
        ],
        ports: ['http'],
        labels: { team: 'infra' },
        readonly_rootfs: true,
        pids_limit: 64,
        dns_servers: ['10.0.0.53'],
        sysctl: { 'net.core.somaxconn': '512' },
        cap_drop: ['mknod'],
      },
      memoryMB: 64,
      memoryMaxMB: 96,
      cpuMHz: 300,
      env: { NOMAD_PORT_http: '8080' },
    });
    t.config.ports = [{ label: 'http', value: 25000 + (process.pid % 5000), to: 8080, hostIp: '127.0.0.1' }];
    const { handle, network } = await d.startTask(t.config);
    try {
      expect(network?.portMap).toEqual({ http: 8080 });
      const info = await client.getContainer(String(handle.driverState['containerId'])).inspect();
      expect(info.Config.Labels['team']).toBe('infra');
      expect(info.Config.Labels['com.hashicorp.nomad.alloc_id']).toBe(t.config.allocId);
      expect(info.HostConfig.Memory).toBe(96 * 1024 * 1024);
      expect(info.HostConfig.MemoryReservation).toBe(64 * 1024 * 1024);
      expect(info.HostConfig.CpuShares).toBe(300);
      expect(info.HostConfig.ReadonlyRootfs).toBe(true);
      expect(info.HostConfig.PidsLimit).toBe(64);
      expect(info.HostConfig.Dns).toEqual(['10.0.0.53']);
      // podman's inspect omits Sysctls: read the value inside the container instead.
      const sysctl = await d.execTask(handle.config.id, ['/bin/cat', '/proc/sys/net/core/somaxconn']);
      expect(sysctl.stdout.toString().trim()).toBe('512');
      expect(
        (info.HostConfig.CapDrop ?? []).map((c: string) => c.toUpperCase().replace(/^CAP_/, '')),
      ).toContain('MKNOD');
      expect(info.HostConfig.PortBindings['8080/tcp']).toEqual([
        { HostIp: '127.0.0.1', HostPort: String(t.config.ports[0]!.value) },
      ]);
      const deadline = Date.now() + 10_000;
      let out = '';
      while (Date.now() < deadline && !out.includes('readonly')) {
        out = await import('node:fs/promises').then((f) => f.readFile(t.config.stdoutPath, 'utf8'));
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(out).toContain('port=8080');
      expect(out).toContain('readonly');
      // The published port really reaches the container's `to` port.
      expect(await readFrom('127.0.0.1', t.config.ports[0]!.value)).toBe('hi-from-container\n');
    } finally {
      await d.destroyTask(handle.config.id, true);
      await t.cleanup();
    }
  });

  it('pull-if-missing reports an image it cannot get as a start failure (no registry contacted)', async () => {
    const d = createDockerDriver();
    // Port 1 on loopback: nothing listens, so the pull fails at once without leaving the machine.
    const t = await createTestTaskConfig({ driverConfig: { image: '127.0.0.1:1/tsnomad/absent:1' } });
    try {
      await expect(d.startTask(t.config)).rejects.toSatisfy(
        (e: unknown) => e instanceof DriverError && e.code === 'start-failed' && e.message.includes('absent'),
      );
    } finally {
      await t.cleanup();
    }
  });

  it('kill and recover: drop the driver, recover by container id, stop, nothing left', async () => {
    const first = createDockerDriver();
    const t = await createTestTaskConfig({
      driverConfig: { image: IMAGE, command: '/bin/sh', args: ['-c', shellScriptFor({ kind: 'tree' })] },
    });
    const { handle } = await first.startTask(t.config);
    const persisted = JSON.stringify(handle);
    // The agent "dies": only the JSON handle survives.
    const second = createDockerDriver();
    await second.recoverTask(JSON.parse(persisted) as TaskHandle);
    expect((await second.inspectTask(handle.config.id)).state).toBe('running');
    await second.stopTask(handle.config.id, 1e9, 'SIGTERM');
    await second.destroyTask(handle.config.id, false);
    expect(await listTaskContainers(client, handle.config.id)).toEqual([]);
    await expect(second.recoverTask(JSON.parse(persisted) as TaskHandle)).rejects.toBeInstanceOf(DriverError);
    await t.cleanup();
  });

  it('bridge mode: joins the allocation namespace made by CNI; the mapped host port reaches the task', async () => {
    const bridgeName = `tsnd${process.pid % 100000}`;
    const net = createBridgeNetworking({ bridgeName, subnet: `10.252.${process.pid % 250}.0/24` });
    const reserver = createPortReserver();
    const res = await reserver.reserve('127.0.0.1', [{ label: 'http', to: 8080 }]);
    if (!res.ok) throw new Error(JSON.stringify(res.errors));
    const t = await createTestTaskConfig({
      driverConfig: {
        image: IMAGE,
        command: '/bin/busybox',
        args: ['nc', '-ll', '-p', '8080', '-e', '/bin/echo', 'hi-from-bridge'],
        ports: ['http'],
      },
    });
    const h = await net.setup(t.config.allocId, res.ports);
    const d = createDockerDriver();
    try {
      t.config.ports = res.ports;
      t.config.networkIsolation = { mode: 'group', path: h.netnsPath, labels: {} };
      const { handle } = await d.startTask(t.config);
      const hostPort = res.ports[0]!.value;
      expect(await retry(() => readFrom('127.0.0.1', hostPort), 10_000)).toBe('hi-from-bridge\n');
      expect(await retry(() => readFrom(h.address, 8080), 10_000)).toBe('hi-from-bridge\n');
      await d.destroyTask(handle.config.id, true);
    } finally {
      await net.teardown(h);
      await t.cleanup();
      execFileSync('ip', ['link', 'del', bridgeName]);
    }
    expect(execFileSync('iptables-save', [], { encoding: 'utf8' })).not.toContain(t.config.allocId);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(h.netns);
  });

  it('mounts the alloc and task dirs, relative volumes and tmpfs mounts', async () => {
    const d = createDockerDriver();
    const t = await createTestTaskConfig({
      driverConfig: {
        image: IMAGE,
        command: '/bin/sh',
        args: [
          '-c',
          'echo v > /data/out; echo a > /alloc/data/out; echo l > /local/out; echo t > /scratch/x && echo tmpfs-ok',
        ],
        volumes: ['data:/data'],
        mounts: [{ type: 'tmpfs', target: '/scratch' }],
      },
    });
    mkdirSync(join(t.config.taskDir, 'data'));
    try {
      const { handle } = await d.startTask(t.config);
      expect(await d.waitTask(handle.config.id)).toMatchObject({ exitCode: 0 });
      expect(readFileSync(join(t.config.taskDir, 'data', 'out'), 'utf8')).toBe('v\n');
      expect(readFileSync(join(t.config.allocDir, 'alloc', 'data', 'out'), 'utf8')).toBe('a\n');
      expect(readFileSync(join(t.config.taskDir, 'local', 'out'), 'utf8')).toBe('l\n');
      await d.destroyTask(handle.config.id, false);
    } finally {
      await t.cleanup();
    }
    // Absolute host paths need the plugin's volumes.enabled.
    expect(d.validateTaskConfig({ image: IMAGE, volumes: ['/etc:/host-etc:ro'] }).map((e) => e.path)).toEqual(
      ['config.volumes[0]'],
    );
    expect(
      createDockerDriver({ config: { volumes: { enabled: true } } }).validateTaskConfig({
        image: IMAGE,
        volumes: ['/etc:/host-etc:ro'],
      }),
    ).toEqual([]);
  });

  it('agent crash: the agent process is SIGKILLed; the container is recovered by id, stopped and removed', async () => {
    const t = await createTestTaskConfig({
      driverConfig: {
        image: IMAGE,
        command: '/bin/sh',
        args: ['-c', shellScriptFor({ kind: 'trap', signal: 'SIGINT', code: 3 })],
      },
    });
    try {
      const handle = await startInDoomedAgent('docker', t.config);
      const d = createDockerDriver();
      await d.recoverTask(handle);
      expect((await d.inspectTask(handle.config.id)).state).toBe('running');
      await retry(async () => {
        if (!readFileSync(t.config.stdoutPath, 'utf8').includes('started'))
          throw new Error('not started yet');
      }, 10_000);
      await d.stopTask(handle.config.id, 10e9, 'SIGINT');
      expect((await d.waitTask(handle.config.id)).exitCode).toBe(3);
      await d.destroyTask(handle.config.id, false);
      expect(await listTaskContainers(client, handle.config.id)).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });

  it('execTaskStreaming pipes stdin to the command and streams its output (alloc exec)', async () => {
    const d = createDockerDriver();
    const t = await createTestTaskConfig({
      driverConfig: { image: IMAGE, command: '/bin/sh', args: ['-c', shellScriptFor({ kind: 'sleep' })] },
    });
    const { handle } = await d.startTask(t.config);
    try {
      const stdin = new PassThrough();
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (b: Buffer) => (out += b.toString()));
      stderr.on('data', (b: Buffer) => (err += b.toString()));
      const done = d.execTaskStreaming!(handle.config.id, ['/bin/sh', '-c', 'cat; echo bye >&2; exit 6'], {
        stdin,
        stdout,
        stderr,
      });
      stdin.write('line one\n');
      stdin.end('line two\n');
      const exit = await done;
      expect(exit.exitCode).toBe(6);
      expect(out).toBe('line one\nline two\n');
      expect(err).toBe('bye\n');
    } finally {
      await d.destroyTask(handle.config.id, true);
      await t.cleanup();
    }
  });

  it('agent crash: the container exits while no agent runs; the recovered driver reports its exit code', async () => {
    const t = await createTestTaskConfig({
      driverConfig: { image: IMAGE, command: '/bin/sh', args: ['-c', 'sleep 0.5; exit 7'] },
    });
    try {
      const handle = await startInDoomedAgent('docker', t.config);
      const id = String(handle.driverState['containerId']);
      await retry(async () => {
        if ((await client.getContainer(id).inspect()).State.Running) throw new Error('still running');
      }, 10_000);
      const d = createDockerDriver();
      await d.recoverTask(handle);
      expect((await d.waitTask(handle.config.id)).exitCode).toBe(7);
      await d.destroyTask(handle.config.id, false);
      expect(await listTaskContainers(client, handle.config.id)).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });
});
