// Decode + canonicalize + validate a 50-task-group job (the guide's §3.2 service job's group,
// repeated), as a server does for every `job run`. Reference: JSON.parse of the same text,
// which every JSON API pays anyway; the ratio says how much our model costs on top.
import { readFileSync } from 'node:fs';
import { canonicalizeJob, decodeJob, encodeJob, validateJob } from '@tsnomad/core';
import type { BenchOptions, BenchResult } from './lib.js';
import { median, opsPerSecond } from './lib.js';

const FIXTURE = new URL('../packages/core/test/fixtures/jobs/s3-2-service-web-api.json', import.meta.url);
const GROUPS = 50;

function bigJobText(): string {
  const job = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { Job: { TaskGroups: { Name: string }[] } }).Job;
  const group = job.TaskGroups[0];
  if (!group) throw new Error('fixture has no task group');
  job.TaskGroups = Array.from({ length: GROUPS }, (_, i) => ({
    ...structuredClone(group),
    Name: `api-${i}`,
  }));
  return JSON.stringify({ Job: job });
}

export default async function run(opts: BenchOptions): Promise<BenchResult> {
  const text = bigJobText();
  const once = decodeJob(JSON.parse(text));
  if (!once.ok) throw new Error(once.errors.map((e) => e.message).join('\n'));
  const problems = validateJob(canonicalizeJob(once.value));
  if (problems.length > 0) throw new Error(`benchmark job is invalid: ${problems[0]?.message}`);
  const tasks = canonicalizeJob(once.value).taskGroups.reduce((n, g) => n + g.tasks.length, 0);

  const ms = opts.quick ? 300 : 2000;
  const rounds = opts.quick ? 1 : 5;
  const full: number[] = [];
  const decodeOnly: number[] = [];
  const parseOnly: number[] = [];
  const encode: number[] = [];
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    full.push(
      opsPerSecond(() => {
        const d = decodeJob(JSON.parse(text));
        if (d.ok) sink += validateJob(canonicalizeJob(d.value)).length;
      }, ms).perSecond,
    );
    decodeOnly.push(
      opsPerSecond(() => {
        sink += decodeJob(JSON.parse(text)).ok ? 1 : 0;
      }, ms).perSecond,
    );
    parseOnly.push(
      opsPerSecond(() => {
        sink += (JSON.parse(text) as unknown[]) ? 1 : 0;
      }, ms).perSecond,
    );
    const job = canonicalizeJob(once.value);
    encode.push(
      opsPerSecond(() => {
        sink += JSON.stringify(encodeJob(job)).length;
      }, ms).perSecond,
    );
  }
  const jobsPerSecond = median(full);
  return {
    summary: {
      taskGroups: GROUPS,
      tasks,
      jsonKB: Math.round(text.length / 1024),
      jobsPerSecond: Math.round(jobsPerSecond),
      msPerJob: +(1000 / jobsPerSecond).toFixed(3),
      decodeOnlyPerSecond: Math.round(median(decodeOnly)),
      encodePerSecond: Math.round(median(encode)),
      jsonParsePerSecond: Math.round(median(parseOnly)),
      ratioToJsonParse: +(median(parseOnly) / jobsPerSecond).toFixed(2),
    },
    details: { full, decodeOnly, parseOnly, encode, sink },
  };
}
