/**
 * `tsnomad demo`: the guide's example jobs through a real ControlPlane on a simulated cluster.
 * Loads each job, registers it, advances the manual clock until the cluster settles, and prints
 * per job what `nomad job status <job>` prints. Deterministic: same files, same output.
 */
import { createSimulation } from '@tsnomad/core/testing';
import { type Job } from '@tsnomad/core';
import { demoNodes } from './demoCluster.js';
import { guideJobFiles, loadJobFile } from './guideJobs.js';
import { jobStatus } from './jobStatus.js';

const SECOND = 1_000_000_000;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Job files (`.hcl`/`.nomad` or API JSON); default: the guide's example jobs. */
  files?: readonly string[];
  /** Seed of the control plane's IDs (default `tsnomad-demo`). */
  seed?: string;
  /** Simulated time the cluster may take to settle, ns (default 15 min). */
  maxTime?: number;
  /** The cluster counts as settled after this long without a state change, ns (default 60 s). */
  quietTime?: number;
}

const GUIDE_NAMESPACES: readonly (readonly [string, string])[] = [
  ['production', 'Production environment'],
  ['staging', 'Staging environment'],
  ['development', 'Development environment'],
];

/** What {@link runDemo} produced. */
export interface DemoResult {
  /** 0 when every job was read and accepted, 1 otherwise. */
  exitCode: number;
  /** The full text to print. */
  output: string;
  /** The accepted jobs with their allocation counts (live and total), for tests and tools. */
  jobs: { file: string; id: string; allocs: number; running: number; placementFailure: boolean }[];
  /** Simulated seconds until the cluster settled. */
  settledAfter: number;
}

/**
 * Runs the demo in-process and returns its output. Effects: reads the job files.
 * @example const r = await runDemo(); process.stdout.write(r.output); process.exitCode = r.exitCode;
 */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const files = opts.files && opts.files.length > 0 ? opts.files : guideJobFiles();
  const out: string[] = [];
  let bad = 0;

  const sim = createSimulation({ nodes: demoNodes(), seed: opts.seed ?? 'tsnomad-demo' });
  await sim.start();
  // The namespaces the guide creates (§21: `nomad namespace apply … production` and the others);
  // as in Nomad, a job in a namespace nobody created is refused.
  for (const [name, description] of GUIDE_NAMESPACES) {
    const r = await sim.cp.upsertNamespace({ name, description });
    if (!r.ok) throw new Error(`demo namespace ${name}: ${r.error}`);
  }
  const accepted: { file: string; job: Job; note?: string }[] = [];
  for (const path of files) {
    const loaded = loadJobFile(path);
    if (!loaded.ok) {
      bad++;
      out.push(`==> ${loaded.file}: invalid`, ...loaded.errors.map((e) => indent(e)), '');
      continue;
    }
    // Several guide examples share a job ID ("web-api"); registering them as they are would make
    // each a new version of one job, so later ones get a free ID.
    const job = uniqueId(loaded.job, (id) => sim.cp.state().jobById(loaded.job.namespace, id) !== undefined);
    const r = await sim.cp.registerJob(job);
    if (!r.ok) {
      bad++;
      out.push(`==> ${loaded.file}: job "${job.id}" refused`, indent(r.error), '');
      continue;
    }
    const note =
      job.id === loaded.job.id
        ? undefined
        : `(registered as "${job.id}": "${loaded.job.id}" is an earlier example's ID)`;
    accepted.push(note ? { file: loaded.file, job, note } : { file: loaded.file, job });
  }
  await sim.cp.processEvals();

  // Advance until nothing has changed for quietTime (bounded by maxTime).
  const start = sim.clock.now();
  const maxTime = opts.maxTime ?? 15 * 60 * SECOND;
  const quiet = opts.quietTime ?? 60 * SECOND;
  let lastIndex = sim.cp.state().latestIndex();
  let lastChange = start;
  while (sim.clock.now() - start < maxTime && sim.clock.now() - lastChange < quiet) {
    await sim.advance();
    const index = sim.cp.state().latestIndex();
    if (index !== lastIndex) {
      lastIndex = index;
      lastChange = sim.clock.now();
    }
  }
  const settledAfter = Math.round((lastChange - start) / SECOND);

  const state = sim.cp.state();
  const header = `${state.nodes().length} nodes, ${accepted.length} of ${files.length} jobs accepted; cluster settled after ${settledAfter}s of simulated time`;
  const jobs: DemoResult['jobs'] = [];
  for (const { file, job, note } of accepted) {
    const text = jobStatus(state, job);
    out.push(note ? `==> ${file} ${note}` : `==> ${file}`, text, '');
    const allocs = state.allocsByJob(job.namespace, job.id);
    jobs.push({
      file,
      id: job.id,
      allocs: allocs.length,
      running: allocs.filter((a) => a.clientStatus === 'running').length,
      placementFailure: text.includes('\nPlacement Failure\n'),
    });
  }
  out.push(header);
  return { exitCode: bad === 0 ? 0 : 1, output: out.join('\n') + '\n', jobs, settledAfter };
}

function uniqueId(job: Job, taken: (id: string) => boolean): Job {
  if (!taken(job.id)) return job;
  let n = 2;
  while (taken(`${job.id}-${n}`)) n++;
  return { ...job, id: `${job.id}-${n}` };
}

const indent = (s: string): string =>
  s
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
