import { execFileSync, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { connect } from 'node:net';

import { afterAll, describe, expect, it } from 'vitest';

import { createAllocNetworkManager } from '../../src/network/allocNetwork.js';
import { createPortReserver } from '../../src/network/portReserver.js';

// Real namespaces and CNI plugins (root); private ranges only.
const bridgeName = `tsnm${process.pid % 100000}`;
const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' });

afterAll(() => {
  try {
    sh('ip', ['link', 'del', bridgeName]);
  } catch {
    // never created
  }
  rmSync(`/var/lib/cni/networks/tsnomad-${bridgeName}`, { recursive: true, force: true });
});

function read(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    let d = '';
    s.setTimeout(5000, () => s.destroy(new Error('timeout')));
    s.on('data', (b) => (d += b.toString()));
    s.on('end', () => resolve(d));
    s.on('error', reject);
  });
}

describe('createAllocNetworkManager', () => {
  const reserver = createPortReserver();
  const nets = createAllocNetworkManager({
    reserver,
    bridge: { bridgeName, subnet: `10.250.${process.pid % 250}.0/24` },
    cniConfigDir: '/nonexistent',
  });

  it('host mode reserves ports and gives the env, with no namespace', async () => {
    const r = await nets.setup('host-alloc', 'host', '127.0.0.1', [{ label: 'http' }]);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.network.isolation).toBeUndefined();
    expect(r.network.env['NOMAD_PORT_http']).toBe(String(r.network.ports[0]!.value));
    await nets.teardown(r.network);
    expect(reserver.inUse('127.0.0.1')).toEqual([]);
  });

  it('refuses unknown modes and missing cni networks as values, without reserving', async () => {
    expect(await nets.setup('x', 'overlay', '127.0.0.1', [{ label: 'a' }])).toMatchObject({
      ok: false,
      errors: [{ path: 'network.mode', actual: 'overlay' }],
    });
    expect(await nets.setup('x', 'cni/mynet', '127.0.0.1', [{ label: 'a' }])).toMatchObject({
      ok: false,
      errors: [{ path: 'network.mode', expected: 'a CNI network in /nonexistent' }],
    });
    expect(reserver.inUse('127.0.0.1')).toEqual([]);
  });

  it('none mode gives a namespace with loopback only', async () => {
    const r = await nets.setup(`n${process.pid}-none`, 'none', '127.0.0.1', []);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const path = r.network.isolation!.path;
    const links = sh('ip', ['netns', 'exec', r.network.cni!.netns, 'ip', '-o', 'link']);
    expect(links).toContain('lo:');
    expect(links.trim().split('\n')).toHaveLength(1);
    await nets.teardown(r.network);
    expect(existsSync(path)).toBe(false);
  });

  it('bridge mode: a process in the isolation namespace is reachable on the host port', async () => {
    const r = await nets.setup(`n${process.pid}-br`, 'bridge', '127.0.0.1', [{ label: 'http', to: 7070 }]);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const { network } = r;
    expect(network.env['NOMAD_PORT_http']).toBe('7070');
    expect(network.env['NOMAD_ALLOC_ADDR_http']).toBe(`${network.cni!.address}:7070`);
    const server = spawn(
      'nsenter',
      [
        `--net=${network.isolation!.path}`,
        process.execPath,
        '-e',
        `require('net').createServer(s=>s.end('ok')).listen(7070)`,
      ],
      { stdio: 'ignore' },
    );
    try {
      let got = '';
      for (let i = 0; i < 50 && got !== 'ok'; i++) {
        got = await read('127.0.0.1', network.ports[0]!.value).catch(() => '');
        if (got !== 'ok') await new Promise((res) => setTimeout(res, 100));
      }
      expect(got).toBe('ok');
    } finally {
      server.kill('SIGKILL');
      await nets.teardown(JSON.parse(JSON.stringify(network)));
    }
    expect(sh('iptables-save', [])).not.toContain(network.allocId);
    expect(reserver.inUse('127.0.0.1')).toEqual([]);
  });
});
