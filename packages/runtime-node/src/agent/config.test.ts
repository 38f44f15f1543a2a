/** Agent configuration: HCL and JSON decode to the same values; mistakes name file:line:col. */
import { describe, expect, it } from 'vitest';
import { decodeConfigText, devConfig, mergeConfig, resolveConfig } from './config.js';

const HCL = `name       = "alpha"
region     = "eu"
datacenter = "dc2"
data_dir   = "/var/lib/tsnomad"
bind_addr  = "127.0.0.1"
log_level  = "debug"
log_json   = true

ports {
  http = 5646
}

addresses {
  http = "0.0.0.0"
}

server {
  enabled          = true
  bootstrap_expect = 3
  num_schedulers   = 4
  heartbeat_grace  = "30s"
  job_gc_threshold = "2h"
  server_join {
    retry_join = ["10.0.0.1", "10.0.0.2"]
  }
}

client {
  enabled = true
  meta = {
    rack = "r1"
  }
}

telemetry {
  prometheus_metrics = true
}

acl {
  enabled = true
}

tls {
  http = true
  ca_file = "/etc/ca.pem"
}

plugin "raw_exec" {
  config {
    enabled = true
  }
}
`;

const JSON_TEXT = JSON.stringify(
  {
    name: 'alpha',
    region: 'eu',
    datacenter: 'dc2',
    data_dir: '/var/lib/tsnomad',
    bind_addr: '127.0.0.1',
    log_level: 'debug',
    log_json: true,
    ports: { http: 5646 },
    addresses: { http: '0.0.0.0' },
    server: {
      enabled: true,
      bootstrap_expect: 3,
      num_schedulers: 4,
      heartbeat_grace: '30s',
      job_gc_threshold: '2h',
      server_join: { retry_join: ['10.0.0.1', '10.0.0.2'] },
    },
    client: { enabled: true, meta: { rack: 'r1' } },
    telemetry: { prometheus_metrics: true },
    acl: { enabled: true },
    tls: { http: true, ca_file: '/etc/ca.pem' },
    plugin: { raw_exec: { config: { enabled: true } } },
  },
  null,
  2,
);

describe('agent configuration files', () => {
  it('decodes HCL and JSON into the same configuration', () => {
    const h = decodeConfigText(HCL, 'agent.hcl');
    const j = decodeConfigText(JSON_TEXT, 'agent.json');
    expect(h.ok && j.ok).toBe(true);
    if (!h.ok || !j.ok) return;
    expect(h.value).toEqual(j.value);
    const c = resolveConfig(h.value);
    expect(c).toMatchObject({
      name: 'alpha',
      region: 'eu',
      datacenter: 'dc2',
      dataDir: '/var/lib/tsnomad',
      logLevel: 'DEBUG',
      logJson: true,
      ports: { http: 5646, rpc: 4647, serf: 4648 },
      addresses: { http: '0.0.0.0', rpc: '127.0.0.1', serf: '127.0.0.1' },
      server: {
        enabled: true,
        bootstrapExpect: 3,
        numSchedulers: 4,
        heartbeatGrace: 30e9,
        jobGcThreshold: 2 * 3600e9,
      },
      client: { enabled: true },
      telemetry: { prometheusMetrics: true },
      acl: { enabled: true },
      tls: { http: true, caFile: '/etc/ca.pem' },
    });
    expect(c.server.raw.server_join).toEqual({ retry_join: ['10.0.0.1', '10.0.0.2'] });
    expect(c.client.raw.meta).toEqual({ rack: 'r1' });
    expect(c.extra.plugin).toEqual({ raw_exec: { config: { enabled: true } } });
  });

  it("fills Nomad's defaults", () => {
    const c = resolveConfig({});
    expect(c).toMatchObject({
      region: 'global',
      datacenter: 'dc1',
      bindAddr: '0.0.0.0',
      logLevel: 'INFO',
      ports: { http: 4646 },
    });
    expect(c.server.enabled).toBe(false);
    expect(c.limits.httpMaxBodyBytes).toBe(10 * 1024 * 1024);
  });

  it('reports an unknown key at its file:line:col (HCL and JSON)', () => {
    const h = decodeConfigText('server {\n  enabled = true\n  bootstap_expect = 1\n}\n', 'a.hcl');
    expect(h).toEqual({ ok: false, errors: ['a.hcl:3:3: unknown key "server.bootstap_expect"'] });
    const j = decodeConfigText('{\n  "server": {\n    "enabeld": true\n  }\n}', 'a.json');
    expect(j).toEqual({ ok: false, errors: ['a.json:3:5: unknown key "server.enabeld"'] });
    const top = decodeConfigText('datacentre = "x"\n', 'b.hcl');
    expect(top).toEqual({ ok: false, errors: ['b.hcl:1:1: unknown key "datacentre"'] });
  });

  it('reports a bad value with what was expected', () => {
    const r = decodeConfigText(
      'ports {\n  http = "many"\n}\nserver {\n  heartbeat_grace = "soon"\n}\nlog_level = "loud"\n',
      'c.hcl',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'c.hcl:2:10: ports.http: expected an integer, got "many"',
      'c.hcl:5:21: server.heartbeat_grace: expected a duration such as "30s" or "1h", got "soon"',
      'c.hcl:7:13: log_level: expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got "loud"',
    ]);
  });

  it('reports syntax errors with their position', () => {
    const h = decodeConfigText('server {\n  enabled = = true\n}\n', 'd.hcl');
    expect(h.ok).toBe(false);
    if (!h.ok) expect(h.errors[0]).toMatch(/^d\.hcl:2:\d+: /);
    const j = decodeConfigText('{"server": {"enabled": true,}}', 'd.json');
    expect(j.ok).toBe(false);
    if (!j.ok) expect(j.errors[0]).toMatch(/^d\.json:1:\d+: invalid JSON: /);
  });

  it('merges files in order, later blocks key by key, and dev mode underneath', () => {
    const a = decodeConfigText(
      'server {\n  enabled = true\n  num_schedulers = 1\n}\nregion = "a"\n',
      'a.hcl',
    );
    const b = decodeConfigText('server {\n  num_schedulers = 2\n}\n', 'b.hcl');
    if (!a.ok || !b.ok) throw new Error('fixtures must decode');
    const c = resolveConfig(mergeConfig(mergeConfig(devConfig(), a.value), b.value), { devMode: true });
    expect(c.server).toMatchObject({ enabled: true, numSchedulers: 2, bootstrapExpect: 1 });
    expect(c.region).toBe('a');
    expect(c.bindAddr).toBe('127.0.0.1');
    expect(c.client.enabled).toBe(true);
    expect(c.telemetry.prometheusMetrics).toBe(true);
  });
});
