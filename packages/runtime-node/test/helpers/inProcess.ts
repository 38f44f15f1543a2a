/** Hosts an agent in the test process with `startAgent` (real HTTP on a loopback ephemeral port). */
import { devConfig, mergeConfig, resolveConfig, type RawConfig } from '../../src/agent/config.js';
import { startAgent, type AgentHandle, type StartAgentOptions } from '../../src/agent/startAgent.js';

/** A dev agent on 127.0.0.1:<free port>, logs off, Prometheus metrics on; `extra` merged on top. */
export function startTestAgent(extra: RawConfig = {}, opts: StartAgentOptions = {}): Promise<AgentHandle> {
  const raw = mergeConfig(
    mergeConfig(devConfig(), {
      ports: { http: 0 },
      log_level: 'OFF',
      telemetry: { prometheus_metrics: true },
    }),
    extra,
  );
  return startAgent(resolveConfig(raw, { devMode: true, hostname: 'test-agent' }), opts);
}
