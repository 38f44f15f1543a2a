import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';

import { afterAll, describe, expect, it } from 'vitest';

import { createBridgeNetworking, createCniNetworking, loadCniConflist } from '../../src/network/cniBridge.js';
import { buildAllocNetworkEnv, buildPortEnv } from '../../src/network/portEnv.js';
import { createPortReserver } from '../../src/network/portReserver.js';

// Real CNI plugins, a real namespace and real iptables rules; private ranges only.
const CNI = '/usr/lib/cni';
const missing = ['bridge', 'host-local', 'portmap', 'loopback'].filter((p) => !existsSync(`${CNI}/${p}`));
if (missing.length > 0) {
  throw new Error(
    `CNI plugins missing in ${CNI}: ${missing.join(', ')} (apt-get install containernetworking-plugins)`,
  );
}

const tag = String(process.pid % 100000);
const bridgeName = `tsnt${tag}`;
const subnet = `10.251.${process.pid % 250}.0/24`;
const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' });

function fetchLine(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    let data = '';
    s.setTimeout(5000, () => s.destroy(new Error(`timeout connecting to ${host}:${port}`)));
    s.on('data', (d) => (data += d.toString()));
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
}

async function waitFor(pred: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

afterAll(() => {
  rmSync(`/var/lib/cni/networks/tsnomad-${bridgeName}`, { recursive: true, force: true });
  // The bridge itself outlives allocations (as Nomad's does); remove the test's one.
  try {
    sh('ip', ['link', 'del', bridgeName]);
  } catch {
    // already gone
  }
});

describe('bridge networking through CNI', () => {
  it('maps a reserved host port into the allocation namespace and cleans up everything', async () => {
    const allocId = `a${tag}-0000-4000-8000-000000000001`;
    const reserver = createPortReserver();
    const res = await reserver.reserve('127.0.0.1', [{ label: 'http', to: 8080 }]);
    if (!res.ok) throw new Error(JSON.stringify(res.errors));
    const net = createBridgeNetworking({ bridgeName, subnet });
    const h = await net.setup(allocId, res.ports);
    let server: ChildProcess | undefined;
    try {
      expect(h.address).toMatch(new RegExp(`^10\\.251\\.${process.pid % 250}\\.\\d+$`));
      expect(existsSync(h.netnsPath)).toBe(true);
      const env = { ...buildPortEnv(res.ports), ...buildAllocNetworkEnv(res.ports, h) };
      const port = res.ports[0]!;
      expect(env['NOMAD_PORT_http']).toBe('8080');
      expect(env['NOMAD_HOST_PORT_http']).toBe(String(port.value));
      expect(env['NOMAD_ADDR_http']).toBe(`127.0.0.1:${port.value}`);
      expect(env['NOMAD_ALLOC_ADDR_http']).toBe(`${h.address}:8080`);

      // A server inside the namespace, on the `to` port.
      server = spawn(
        'ip',
        [
          'netns',
          'exec',
          h.netns,
          process.execPath,
          '-e',
          `require('net').createServer(s=>s.end('hello '+process.env.NOMAD_PORT_http)).listen(8080)`,
        ],
        { env: { ...process.env, ...env }, stdio: 'ignore' },
      );
      await waitFor(
        () =>
          fetchLine(h.address, 8080).then(
            () => true,
            () => false,
          ),
        10_000,
      );
      // Direct to the allocation address, and through the host port mapping (portmap DNAT).
      expect(await fetchLine(h.address, 8080)).toBe('hello 8080');
      expect(await fetchLine('127.0.0.1', port.value)).toBe('hello 8080');
    } finally {
      server?.kill('SIGKILL');
      await net.teardown(h);
      reserver.release(res.ports);
    }
    expect(existsSync(h.netnsPath)).toBe(false);
    expect(sh('ip', ['netns', 'list'])).not.toContain(h.netns);
    // No rule mentions the allocation any more (portmap and masquerade rules carry its id).
    expect(sh('iptables-save', [])).not.toContain(allocId);
    // No veth left on the bridge, no address lease left.
    expect(sh('ip', ['-o', 'link', 'show', 'master', bridgeName]).trim()).toBe('');
    const leases = `/var/lib/cni/networks/tsnomad-${bridgeName}`;
    const leftover = existsSync(leases)
      ? readdirSync(leases).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f))
      : [];
    expect(leftover).toEqual([]);
    expect(reserver.inUse('127.0.0.1')).toEqual([]);
    // Teardown is idempotent (a restarted agent may repeat it).
    await net.teardown(h);
  });
});

describe('cni/<name> networks from a conflist directory', () => {
  it('runs a ptp conflist with portmap; the host port reaches the namespace; teardown removes it all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnomad-cni-'));
    const name = `tsnptp${tag}`;
    writeFileSync(
      join(dir, '10-other.conflist'),
      JSON.stringify({ cniVersion: '0.4.0', name: 'other', plugins: [] }),
    );
    writeFileSync(
      join(dir, '20-ptp.conflist'),
      JSON.stringify({
        cniVersion: '0.4.0',
        name,
        plugins: [
          {
            type: 'ptp',
            ipMasq: false,
            ipam: { type: 'host-local', ranges: [[{ subnet: `10.254.${process.pid % 250}.0/24` }]] },
          },
          { type: 'portmap', capabilities: { portMappings: true }, snat: true },
        ],
      }),
    );
    expect(loadCniConflist(dir, 'absent')).toMatchObject({ ok: false });
    const loaded = loadCniConflist(dir, name);
    if (!loaded.ok) throw new Error(loaded.error);
    const vethsBefore = sh('ip', ['-o', 'link', 'show', 'type', 'veth'])
      .trim()
      .split('\n')
      .filter(Boolean).length;
    const allocId = `b${tag}-0000-4000-8000-000000000002`;
    const reserver = createPortReserver();
    const res = await reserver.reserve('127.0.0.1', [{ label: 'web', to: 9090 }]);
    if (!res.ok) throw new Error(JSON.stringify(res.errors));
    const net = createCniNetworking(loaded.conflist);
    const h = await net.setup(allocId, res.ports);
    let server: ChildProcess | undefined;
    try {
      server = spawn(
        'ip',
        [
          'netns',
          'exec',
          h.netns,
          process.execPath,
          '-e',
          `require('net').createServer(s=>s.end('ptp ok')).listen(9090)`,
        ],
        { stdio: 'ignore' },
      );
      await waitFor(
        () =>
          fetchLine(h.address, 9090).then(
            () => true,
            () => false,
          ),
        10_000,
      );
      expect(await fetchLine('127.0.0.1', res.ports[0]!.value)).toBe('ptp ok');
    } finally {
      server?.kill('SIGKILL');
      await net.teardown(h);
      rmSync(dir, { recursive: true, force: true });
      rmSync(`/var/lib/cni/networks/${name}`, { recursive: true, force: true });
    }
    expect(sh('iptables-save', [])).not.toContain(allocId);
    expect(sh('ip', ['netns', 'list'])).not.toContain(h.netns);
    expect(sh('ip', ['-o', 'link', 'show', 'type', 'veth']).trim().split('\n').filter(Boolean).length).toBe(
      vethsBefore,
    );
  });
});
