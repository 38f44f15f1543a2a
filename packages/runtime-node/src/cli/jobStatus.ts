/**
 * `nomad job status <job>` as text, from a state snapshot: the header, the Summary table per
 * task group, the Placement Failure blocks and the Allocations table, laid out as Nomad's CLI
 * lays them out (columns aligned, two spaces apart; `key = value` headers). Pure.
 */
import type { AllocMetric, Allocation, Deployment, Evaluation, Job, StateSnapshot } from '@tsnomad/core';

/** Aligns `a|b|c` rows into columns two spaces apart (as Nomad's `formatList`). Pure. */
export function formatList(rows: readonly string[]): string {
  return align(rows, '  ');
}

/** Aligns `key|value` rows as `key = value` (as Nomad's `formatKV`). Pure. */
export function formatKV(rows: readonly string[]): string {
  return align(rows, ' = ');
}

function align(rows: readonly string[], glue: string): string {
  const cells = rows.map((r) => r.split('|'));
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells
    .map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join(glue))
    .join('\n');
}

const byKey = (m: Readonly<Record<string, number>>): [string, number][] =>
  Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Explains why allocations could not be placed, one `* …` line per reason, with Nomad's
 * wording (map entries sorted by key, where Nomad prints Go map order). Pure.
 */
export function formatAllocMetrics(m: AllocMetric, prefix = '  '): string[] {
  const out: string[] = [];
  if (m.nodesEvaluated === 0) out.push(`${prefix}* No nodes were eligible for evaluation`);
  for (const [dc, n] of byKey(m.nodesAvailable))
    if (n === 0) out.push(`${prefix}* No nodes are available in datacenter "${dc}"`);
  for (const [c, n] of byKey(m.classFiltered))
    out.push(`${prefix}* Class "${c}": ${n} nodes excluded by filter`);
  for (const [c, n] of byKey(m.constraintFiltered))
    out.push(`${prefix}* Constraint ${JSON.stringify(c)}: ${n} nodes excluded by filter`);
  if (m.nodesExhausted > 0) out.push(`${prefix}* Resources exhausted on ${m.nodesExhausted} nodes`);
  for (const [c, n] of byKey(m.classExhausted)) out.push(`${prefix}* Class "${c}" exhausted on ${n} nodes`);
  for (const [d, n] of byKey(m.dimensionExhausted))
    out.push(`${prefix}* Dimension ${JSON.stringify(d)} exhausted on ${n} nodes`);
  for (const q of m.quotaExhausted) out.push(`${prefix}* Quota limit hit ${JSON.stringify(q)}`);
  return out;
}

/** A time as Nomad's CLI prints it (ISO 8601 to the second, UTC here); empty for unset. Pure. */
export function formatTime(ns: number): string {
  return ns < 1e9 ? '' : new Date(Math.floor(ns / 1e6)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The Latest Deployment section: ID, status, description and the Deployed table per task group,
 * with the Auto Revert, Promoted, Canaries and Progress Deadline columns when they apply. Pure.
 */
export function formatDeployment(d: Deployment): string {
  const base = formatKV([
    `ID|${d.id.slice(0, 8)}`,
    `Status|${d.status}`,
    `Description|${d.statusDescription}`,
  ]);
  const groups = Object.keys(d.taskGroups).sort();
  if (groups.length === 0) return base;
  const states = groups.map((g) => d.taskGroups[g]!);
  const autoRevert = states.some((s) => s.autoRevert);
  const canaries = states.some((s) => s.desiredCanaries > 0);
  const deadline = states.some((s) => s.progressDeadline !== 0);
  const header = [
    'Task Group',
    ...(autoRevert ? ['Auto Revert'] : []),
    ...(canaries ? ['Promoted'] : []),
    'Desired',
    ...(canaries ? ['Canaries'] : []),
    'Placed',
    'Healthy',
    'Unhealthy',
    ...(deadline ? ['Progress Deadline'] : []),
  ];
  const rows = groups.map((g, i) => {
    const s = states[i]!;
    return [
      g,
      ...(autoRevert ? [String(s.autoRevert)] : []),
      ...(canaries ? [s.desiredCanaries > 0 ? String(s.promoted) : 'N/A'] : []),
      String(s.desiredTotal),
      ...(canaries ? [String(s.desiredCanaries)] : []),
      String(s.placedAllocs),
      String(s.healthyAllocs),
      String(s.unhealthyAllocs),
      ...(deadline ? [s.requireProgressBy === 0 ? 'N/A' : formatTime(s.requireProgressBy)] : []),
    ].join('|');
  });
  return `${base}\n\nDeployed\n${formatList([header.join('|'), ...rows])}`;
}

/** The latest evaluation of a job with placement failures, while one of its evaluations is blocked. */
function failedPlacementEval(evals: readonly Evaluation[]): Evaluation | undefined {
  if (!evals.some((e) => e.status === 'blocked')) return undefined;
  let latest: Evaluation | undefined;
  for (const e of evals)
    if (Object.keys(e.failedTGAllocs).length > 0 && (!latest || e.createIndex > latest.createIndex))
      latest = e;
  return latest;
}

const sortedAllocs = (allocs: readonly Allocation[]): Allocation[] =>
  [...allocs].sort((a, b) => b.createIndex - a.createIndex || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/**
 * The text `nomad job status <id>` prints for a job (without the times, which depend on the
 * wall clock). Pure.
 * @example process.stdout.write(jobStatus(cp.state(), job) + '\n');
 */
export function jobStatus(state: StateSnapshot, job: Job): string {
  const stored = state.jobById(job.namespace, job.id) ?? job;
  const periodic = Boolean(stored.periodic?.enabled) && !stored.parentId;
  const parameterized = Boolean(stored.parameterizedJob) && !stored.dispatched;
  const parts: string[] = [
    formatKV([
      `ID|${stored.id}`,
      `Name|${stored.name}`,
      `Type|${stored.type}`,
      `Priority|${stored.priority}`,
      `Datacenters|${stored.datacenters.join(',')}`,
      `Namespace|${stored.namespace}`,
      `Node Pool|${stored.nodePool}`,
      `Status|${stored.stop ? `${stored.status} (stopped)` : stored.status}`,
      `Periodic|${periodic}`,
      `Parameterized|${parameterized}`,
    ]),
  ];

  const summary = state.jobSummary(stored.namespace, stored.id)?.summary ?? {};
  if (!periodic && !parameterized) {
    const rows = ['Task Group|Queued|Starting|Running|Failed|Complete|Lost|Unknown'];
    for (const [tg, s] of Object.entries(summary).sort(([a], [b]) => (a < b ? -1 : 1)))
      rows.push(
        `${tg}|${s.queued}|${s.starting}|${s.running}|${s.failed}|${s.complete}|${s.lost}|${s.unknown}`,
      );
    parts.push('\nSummary', formatList(rows));
  } else {
    const children = state.childJobs(stored.namespace, stored.id);
    const count = (st: string): number => children.filter((c) => c.status === st).length;
    parts.push(
      parameterized ? '\nParameterized Job Summary' : '\nChildren Job Summary',
      formatList(['Pending|Running|Dead', `${count('pending')}|${count('running')}|${count('dead')}`]),
    );
  }

  const failed = failedPlacementEval(state.evalsByJob(stored.namespace, stored.id));
  if (failed) {
    parts.push('\nPlacement Failure');
    const groups = Object.keys(failed.failedTGAllocs).sort();
    groups.forEach((tg, i) => {
      const m = failed.failedTGAllocs[tg]!;
      const n = m.coalescedFailures + 1;
      parts.push(`Task Group "${tg}" (failed to place ${n} ${n === 1 ? 'allocation' : 'allocations'}):`);
      parts.push(...formatAllocMetrics(m));
      if (i !== groups.length - 1) parts.push('');
    });
  }

  const deployment = state.latestDeploymentByJob(stored.namespace, stored.id);
  if (deployment) parts.push('\nLatest Deployment', formatDeployment(deployment));

  const allocs = sortedAllocs(state.allocsByJob(stored.namespace, stored.id));
  parts.push('\nAllocations');
  if (allocs.length === 0) parts.push('No allocations placed');
  else
    parts.push(
      formatList([
        'ID|Node ID|Task Group|Version|Desired|Status',
        ...allocs.map(
          (a) =>
            `${a.id.slice(0, 8)}|${a.nodeId.slice(0, 8)}|${a.taskGroup}|${a.job?.version ?? stored.version}|${a.desiredStatus}|${a.clientStatus}`,
        ),
      ]),
    );
  return parts.join('\n');
}
