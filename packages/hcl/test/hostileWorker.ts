/**
 * Child process of the hostile-input fuzz suite: runs one case per message and answers with how
 * it ended (a value, diagnostics, or an exception that must not happen) and how long it took.
 * A hang or an out-of-memory abort shows up in the parent as a timeout or an exit.
 */
import { canonicalizeJob, decodeJob, validateJob } from '@tsnomad/core';
import { hclToJson } from '../src/hclToJson.js';
import { parseJobspec } from '../src/jobspec/parseJobspec.js';
import type { WorkerReply, WorkerRequest } from './hostileProtocol.js';

function runCase(req: WorkerRequest): Omit<WorkerReply, 'id' | 'ms' | 'cpuMs'> {
  switch (req.kind) {
    case 'jobspec': {
      const r = parseJobspec(req.source, {
        filename: 'hostile.nomad.hcl',
        vars: req.vars ?? {},
        varFiles: req.varFiles ?? [],
        randomBytes: (n) => new Uint8Array(n),
      });
      return r.ok
        ? { outcome: 'result', summaries: [] }
        : { outcome: 'diagnostic', summaries: r.diagnostics.map((d) => d.summary) };
    }
    case 'hclToJson': {
      const r = hclToJson(req.source, 'hostile.hcl');
      if (r.ok) JSON.stringify(r.value);
      return r.ok
        ? { outcome: 'result', summaries: [] }
        : { outcome: 'diagnostic', summaries: r.diagnostics.map((d) => d.summary) };
    }
    case 'apiJson': {
      let json: unknown;
      try {
        json = JSON.parse(req.source);
      } catch (e) {
        return { outcome: 'diagnostic', summaries: [(e as Error).message] };
      }
      const r = decodeJob(json);
      if (!r.ok) return { outcome: 'diagnostic', summaries: r.errors.slice(0, 5).map((e) => e.message) };
      const problems = validateJob(canonicalizeJob(r.value));
      return problems.length
        ? { outcome: 'diagnostic', summaries: problems.slice(0, 5).map((p) => p.message) }
        : { outcome: 'result', summaries: [] };
    }
  }
}

process.on('message', (req: WorkerRequest) => {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let reply: Omit<WorkerReply, 'id' | 'ms' | 'cpuMs'>;
  try {
    reply = runCase(req);
  } catch (e) {
    reply = { outcome: 'threw', summaries: [e instanceof Error ? `${e.name}: ${e.message}` : String(e)] };
  }
  const used = process.cpuUsage(cpu);
  const full: WorkerReply = {
    id: req.id,
    ms: performance.now() - start,
    cpuMs: (used.user + used.system) / 1000,
    ...reply,
  };
  process.send!(full);
});

// Modules are loaded: the parent starts its clocks from here.
process.send!({ ready: true });
