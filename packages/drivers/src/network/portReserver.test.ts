import { createServer } from 'node:net';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { buildPortEnv } from './portEnv.js';
import { createPortReserver, parsePortList } from './portReserver.js';

describe('parsePortList', () => {
  it('expands ranges and reports bad parts with their index', () => {
    expect(parsePortList('22, 80,8000-8002')).toEqual({ ok: true, ports: [22, 80, 8000, 8001, 8002] });
    expect(parsePortList('22,90-80')).toEqual({
      ok: false,
      error: { path: 'reserved_ports[1]', expected: expect.any(String), actual: '90-80' },
    });
  });
});

describe('createPortReserver', () => {
  it('honours static ports, refuses taken ones, and picks dynamic ports in range', async () => {
    const r = createPortReserver({
      minDynamicPort: 30000,
      maxDynamicPort: 30010,
      reservedPorts: '30000-30005',
      probe: false,
    });
    const a = await r.reserve('127.0.0.1', [
      { label: 'admin', static: 9000 },
      { label: 'http', to: 8080 },
    ]);
    if (!a.ok) throw new Error(JSON.stringify(a.errors));
    expect(a.ports[0]).toEqual({ label: 'admin', value: 9000, hostIp: '127.0.0.1' });
    expect(a.ports[1]!.value).toBeGreaterThanOrEqual(30006);
    expect(a.ports[1]!.to).toBe(8080);
    const b = await r.reserve('127.0.0.1', [{ label: 'admin', static: 9000 }]);
    expect(b).toEqual({
      ok: false,
      errors: [{ path: 'ports[0].static', expected: 'a free port on 127.0.0.1', actual: 9000 }],
    });
    // Another address has its own ports.
    expect((await r.reserve('10.0.0.1', [{ label: 'admin', static: 9000 }])).ok).toBe(true);
    r.release(a.ports);
    expect(r.inUse('127.0.0.1')).toEqual([]);
  });

  it('refuses an address that is not on this host, as a value', async () => {
    const r = createPortReserver();
    expect(await r.reserve('203.0.113.77', [{ label: 'x' }])).toEqual({
      ok: false,
      errors: [{ path: 'host_ip', expected: 'an address of this host', actual: '203.0.113.77' }],
    });
  });

  it('reports an exhausted dynamic range as a value', async () => {
    const r = createPortReserver({ minDynamicPort: 31000, maxDynamicPort: 31001, probe: false });
    const res = await r.reserve('127.0.0.1', [{ label: 'a' }, { label: 'b' }, { label: 'c' }]);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors[0]!.path).toBe('ports[2]');
  });

  it('skips a port another process holds on the host', async () => {
    const srv = createServer();
    await new Promise<void>((ok) => srv.listen({ host: '127.0.0.1', port: 0 }, ok));
    const busy = (srv.address() as { port: number }).port;
    try {
      const r = createPortReserver({ minDynamicPort: busy, maxDynamicPort: busy + 1 });
      const res = await r.reserve('127.0.0.1', [{ label: 'x' }]);
      if (!res.ok) throw new Error(JSON.stringify(res.errors));
      expect(res.ports[0]!.value).toBe(busy + 1);
      expect((await r.reserve('127.0.0.1', [{ label: 's', static: busy }])).ok).toBe(false);
    } finally {
      srv.close();
    }
  });

  it('never hands out the same port twice on one address, and stays in range', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 10 }), async (n, spare) => {
        const min = 40000;
        const max = min + n + spare - 1;
        const r = createPortReserver({ minDynamicPort: min, maxDynamicPort: max, probe: false });
        const res = await r.reserve(
          '127.0.0.1',
          Array.from({ length: n }, (_, i) => ({ label: `p${i}` })),
        );
        if (!res.ok) return false;
        const values = res.ports.map((p) => p.value);
        return new Set(values).size === n && values.every((v) => v >= min && v <= max);
      }),
    );
  });
});

describe('buildPortEnv', () => {
  it('sets NOMAD_PORT to the mapped port and NOMAD_HOST_PORT / NOMAD_ADDR to the host side', () => {
    expect(
      buildPortEnv([
        { label: 'http', value: 23456, to: 8080, hostIp: '10.0.0.5' },
        { label: 'db-main', value: 5432, hostIp: 'fd00::1' },
      ]),
    ).toEqual({
      NOMAD_IP_http: '10.0.0.5',
      NOMAD_IPv4_http: '10.0.0.5',
      NOMAD_HOST_PORT_http: '23456',
      NOMAD_ADDR_http: '10.0.0.5:23456',
      NOMAD_HOST_ADDR_http: '10.0.0.5:23456',
      NOMAD_PORT_http: '8080',
      NOMAD_IP_db_main: 'fd00::1',
      NOMAD_IPv6_db_main: 'fd00::1',
      NOMAD_HOST_PORT_db_main: '5432',
      NOMAD_ADDR_db_main: '[fd00::1]:5432',
      NOMAD_HOST_ADDR_db_main: '[fd00::1]:5432',
      NOMAD_PORT_db_main: '5432',
    });
  });
});
