import { describe, expect, it } from 'vitest';

import { validateConfig } from '../configSchema.js';
import type { TaskConfig } from '../driver.js';
import {
  buildContainerOptions,
  checkDockerPolicy,
  dockerPluginConfigSchema,
  dockerTaskConfigSchema,
  parseDurationMs,
} from './config.js';

const task: TaskConfig = {
  id: 'a1/web/1',
  name: 'web',
  allocId: 'a1',
  allocDir: '/allocs/a1',
  taskDir: '/allocs/a1/web',
  driverConfig: {},
  env: { A: '1' },
  resources: { cpuMHz: 500, cores: 0, memoryMB: 256, memoryMaxMB: 0 },
  killTimeoutNs: 5e9,
  killSignal: 'SIGINT',
  stdoutPath: '/allocs/a1/alloc/logs/web.stdout.0',
  stderrPath: '/allocs/a1/alloc/logs/web.stderr.0',
  ports: [{ label: 'http', value: 23000, to: 80, hostIp: '10.0.0.5' }],
  dns: { servers: ['1.1.1.1'], searches: [], options: ['ndots:2'] },
};
const plugin = validateConfig(dockerPluginConfigSchema, {}).value;
const cfg = (c: Record<string, unknown>) =>
  validateConfig(dockerTaskConfigSchema, { image: 'redis:7', ...c }).value;

describe('buildContainerOptions', () => {
  it('maps resources, ports, mounts, ulimits and the group dns block', () => {
    const o = buildContainerOptions(
      task,
      cfg({
        ports: ['http'],
        volumes: ['data:/data:ro'],
        ulimit: { nofile: '1024:2048', nproc: '64' },
        cpu_hard_limit: true,
      }),
      'web-a1',
    );
    const h = o.HostConfig!;
    expect(h.Memory).toBe(256 * 1024 * 1024);
    expect(h.MemoryReservation).toBeUndefined();
    expect(h.CpuShares).toBe(500);
    expect([h.CpuPeriod, h.CpuQuota]).toEqual([100000, 50000]);
    expect(h.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '10.0.0.5', HostPort: '23000' }],
      '80/udp': [{ HostIp: '10.0.0.5', HostPort: '23000' }],
    });
    expect(h.Binds).toContain('/allocs/a1/web/data:/data:ro');
    expect(h.Binds).toContain('/allocs/a1/alloc:/alloc');
    expect(h.Ulimits).toEqual([
      { Name: 'nofile', Soft: 1024, Hard: 2048 },
      { Name: 'nproc', Soft: 64, Hard: 64 },
    ]);
    expect([h.Dns, h.DnsOptions]).toEqual([['1.1.1.1'], ['ndots:2']]);
    expect(o.Env).toEqual(['A=1']);
    expect(o.Labels?.['com.hashicorp.nomad.task_name']).toBe('web');
  });

  it('memory_max becomes the hard limit and memory the reservation; memory_hard_limit wins', () => {
    const t = { ...task, resources: { ...task.resources, memoryMaxMB: 512 } };
    expect(buildContainerOptions(t, cfg({}), 'n').HostConfig).toMatchObject({
      Memory: 512 * 1024 * 1024,
      MemoryReservation: 256 * 1024 * 1024,
    });
    expect(buildContainerOptions(t, cfg({ memory_hard_limit: 1024 }), 'n').HostConfig?.Memory).toBe(
      1024 * 1024 * 1024,
    );
  });

  it('joins the allocation namespace in bridge mode and leaves publishing to CNI', () => {
    const t = { ...task, networkIsolation: { mode: 'group' as const, path: '/var/run/netns/x', labels: {} } };
    const h = buildContainerOptions(t, cfg({ ports: ['http'] }), 'n').HostConfig!;
    expect(h.NetworkMode).toBe('ns:/var/run/netns/x');
    expect(h.PortBindings).toEqual({});
    expect(buildContainerOptions(t, cfg({ network_mode: 'host' }), 'n').HostConfig?.NetworkMode).toBe('host');
  });
});

describe('checkDockerPolicy', () => {
  it('names every violation with its path', () => {
    const errs = checkDockerPolicy(
      cfg({
        volumes: ['/etc:/x', 'bad'],
        ulimit: { nofile: 'lots' },
        ports: ['nope'],
        mounts: [{ type: 'bind', target: '/t' }],
      }),
      plugin,
      task,
    );
    expect(errs.map((e) => e.path)).toEqual([
      'config.volumes[0]',
      'config.volumes[1]',
      'config.mounts[0].source',
      'config.ulimit.nofile',
      'config.ports[0]',
    ]);
  });
});

describe('parseDurationMs', () => {
  it('reads Nomad duration strings', () => {
    expect([
      parseDurationMs('5m'),
      parseDurationMs('30s'),
      parseDurationMs('250ms'),
      parseDurationMs('x'),
    ]).toEqual([300000, 30000, 250, undefined]);
  });
});
