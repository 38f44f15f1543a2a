/**
 * `/v1/metrics`: the agent's metrics in prom-client, exposed as Prometheus text
 * (`format=prometheus`) or in the JSON shape of Nomad's in-memory sink (Gauges, Counters,
 * Samples). Names follow Nomad's (`nomad.nomad.broker.total_ready` is
 * `nomad_nomad_broker_total_ready` in Prometheus).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServerHost } from '../agent/serverHost.js';

/** The agent's metric instruments. */
export interface AgentMetrics {
  readonly registry: Registry;
  /** Counts one HTTP request (method, route pattern, status) and its duration. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/** Creates the registry with gauges read from the server on each scrape. */
export function createAgentMetrics(host: () => ServerHost | undefined): AgentMetrics {
  const registry = new Registry();
  // Named as Nomad names them (dotted); Prometheus sees the dots as underscores.
  const gauge = (nomadName: string, help: string, read: (h: ServerHost) => number): void => {
    new Gauge({
      name: promName(nomadName),
      help,
      registers: [registry],
      collect() {
        const h = host();
        if (h) this.set(read(h));
      },
    });
  };
  gauge(
    'nomad.nomad.broker.total_ready',
    'Evaluations ready to be processed.',
    (h) => h.cp.broker.stats().totalReady,
  );
  gauge(
    'nomad.nomad.broker.total_unacked',
    'Evaluations dequeued and not yet acknowledged.',
    (h) => h.cp.broker.stats().totalUnacked,
  );
  gauge(
    'nomad.nomad.broker.total_pending',
    'Evaluations waiting for an earlier one of the same job.',
    (h) => h.cp.broker.stats().totalPending,
  );
  gauge(
    'nomad.nomad.broker.total_waiting',
    'Evaluations waiting for their wait_until time.',
    (h) => h.cp.broker.stats().totalWaiting,
  );
  gauge(
    'nomad.nomad.blocked_evals.total_blocked',
    'Evaluations blocked until capacity changes.',
    (h) => h.cp.blocked.stats().totalBlocked,
  );
  gauge('nomad.raft.applied_index', 'Last applied log index.', (h) => h.cp.consensus.appliedIndex());
  gauge('nomad.state.jobs', 'Jobs in the state store.', (h) => h.cp.state().tables.jobs.size);
  gauge('nomad.state.nodes', 'Nodes in the state store.', (h) => h.cp.state().tables.nodes.size);
  gauge('nomad.state.allocations', 'Allocations in the state store.', (h) => h.cp.state().tables.allocs.size);
  gauge('nomad.state.evaluations', 'Evaluations in the state store.', (h) => h.cp.state().tables.evals.size);
  gauge('nomad.runtime.heap_bytes', 'Bytes of JavaScript heap in use.', () => process.memoryUsage().heapUsed);
  gauge(
    'nomad.runtime.rss_bytes',
    'Resident set size of the agent process.',
    () => process.memoryUsage().rss,
  );
  const requests = new Counter({
    name: promName('nomad.http.requests_total'),
    help: 'HTTP API requests answered.',
    labelNames: ['method', 'route', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: promName('nomad.http.request_duration_seconds'),
    help: 'HTTP API request duration.',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      requests.inc({ method, route, code: String(status) });
      duration.observe({ method, route }, seconds);
    },
  };
}

const nomadNames = new Map<string, string>();
function promName(nomadName: string): string {
  const p = nomadName.replace(/\./g, '_');
  nomadNames.set(p, nomadName);
  return p;
}
const dotted = (name: string): string => nomadNames.get(name) ?? name;

/** Nomad's in-memory sink JSON (`GET /v1/metrics`). */
export async function metricsJson(m: AgentMetrics): Promise<Record<string, unknown>> {
  const all = await m.registry.getMetricsAsJSON();
  const gauges: unknown[] = [];
  const counters: unknown[] = [];
  const samples: unknown[] = [];
  for (const metric of all) {
    const values = (
      metric as { values: { value: number; labels: Record<string, string | number>; metricName?: string }[] }
    ).values;
    if (String(metric.type) === 'gauge')
      for (const v of values) gauges.push({ Name: dotted(metric.name), Value: v.value, Labels: v.labels });
    else if (String(metric.type) === 'counter')
      for (const v of values)
        counters.push({
          Name: dotted(metric.name),
          Count: v.value,
          Rate: 0,
          Sum: v.value,
          Min: 1,
          Max: 1,
          Mean: 1,
          Stddev: 0,
          Labels: v.labels,
        });
    else if (String(metric.type) === 'histogram') {
      const sums = values.filter((v) => v.metricName?.endsWith('_sum'));
      const counts = values.filter((v) => v.metricName?.endsWith('_count'));
      sums.forEach((s, i) => {
        const count = counts[i]?.value ?? 0;
        samples.push({
          Name: dotted(metric.name),
          Count: count,
          Sum: s.value,
          Mean: count ? s.value / count : 0,
          Rate: 0,
          Min: 0,
          Max: 0,
          Stddev: 0,
          Labels: s.labels,
        });
      });
    }
  }
  return {
    Timestamp: new Date()
      .toISOString()
      .replace(/\.\d+Z$/, ' +0000 UTC')
      .replace('T', ' '),
    Gauges: gauges,
    Counters: counters,
    Samples: samples,
    Points: [],
  };
}
