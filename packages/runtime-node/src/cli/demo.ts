/**
 * `tsnomad demo`: the package's example jobs through a real ControlPlane on a simulated cluster.
 * Loads each job, registers it, advances the manual clock until the cluster settles, and prints
 * per job what `nomad job status <job>` prints. Deterministic: same files, same output.
 */
import { createSimulation, type Job } from '@tsnomad/core';
import { demoNodes } from './demoCluster.js';
import { exampleJobFiles, loadJobFile } from './guideJobs.js';
import { jobStatus } from './jobStatus.js';

const SECOND = 1_000_000_000;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Job files (`.hcl`/`.nomad` or API JSON); default: the package's example jobs (examples/jobs). */
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
  /** The full text to print on stdout. */
  output: string;
  /** Why files were invalid or refused: the text for stderr (empty when none). */
  errors: string;
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
  const files = opts.files && opts.files.length > 0 ? opts.files : exampleJobFiles();
  const out: string[] = [];
  const errs: string[] = [];
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
      errs.push(`==> ${loaded.file}: invalid`, ...loaded.errors.map((e) => indent(e)), '');
      continue;
    }
    // Several guide examples share a job ID ("web-api"); registering them as they are would make
    // each a new version of one job, so later ones get a free ID.
    const job = uniqueId(loaded.job, (id) => sim.cp.state().jobById(loaded.job.namespace, id) !== undefined);
    const r = await sim.cp.registerJob(job);
    if (!r.ok) {
      bad++;
      errs.push(`==> ${loaded.file}: job "${job.id}" refused`, indent(r.error), '');
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
  return {
    exitCode: bad === 0 ? 0 : 1,
    output: out.join('\n') + '\n',
    errors: errs.length > 0 ? errs.join('\n') + '\n' : '',
    jobs,
    settledAfter,
  };
}

/** The demo subcommand's usage text. */
export const DEMO_USAGE = `Usage: tsnomad demo [options] [job.hcl | job.json ...]

  Runs jobs (by default every job example of the guide) through a control plane on a
  simulated cluster and prints what "nomad job status" prints for each.

Options:

  -h, --help  Show this help.
  --          Treat every following argument as a file name.
`;

/** What the demo subcommand writes and the exit code it ends with. */
export interface DemoCommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * `tsnomad demo ARGS`: `-h`/`--help` prints the usage (exit 0); an unknown flag is a usage
 * error on stderr (exit 1, as Nomad's commands exit on bad flags); otherwise runs the demo.
 * Errors go to stderr; control characters from the files are escaped. Effects: reads files.
 */
export async function runDemoCommand(args: readonly string[]): Promise<DemoCommandResult> {
  const files: string[] = [];
  let flags = true;
  for (const a of args) {
    if (flags && a === '--') flags = false;
    else if (flags && (a === '-h' || a === '--help' || a === '-help')) {
      return { stdout: DEMO_USAGE, stderr: '', exitCode: 0 };
    } else if (flags && a.startsWith('-') && a !== '-') {
      return {
        stdout: '',
        stderr: `Error: unknown flag ${escapeControl(JSON.stringify(a))}\n\n${DEMO_USAGE}`,
        exitCode: 1,
      };
    } else files.push(a);
  }
  const r = await runDemo({ files });
  return { stdout: escapeControl(r.output), stderr: escapeControl(r.errors), exitCode: r.exitCode };
}

// C0 and C1 controls (but newline and tab) and bidirectional overrides; matching them is the point.
/* eslint-disable no-control-regex */
const CONTROL =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

/**
 * `s` with terminal control characters written as escapes (`\x1b`, `\u202e`), keeping newlines
 * and tabs: text from a job file must not drive the user's terminal. Pure.
 */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
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
