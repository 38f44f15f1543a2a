#!/usr/bin/env node
/**
 * The `tsnomad` command. For now one subcommand:
 *
 *   tsnomad demo [file.json ...]
 *
 * decodes, canonicalizes and validates Nomad API JSON jobs (by default every job example of the
 * guide, from packages/core/test/fixtures/jobs) and prints a summary per job and every problem
 * with its path. Exit code 0 when all jobs are valid, 1 otherwise, 2 on bad usage.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalizeJob, decodeJob, formatGoDuration, validateJob } from '@tsnomad/core';
import type { Job } from '@tsnomad/core';

const FIXTURES = fileURLToPath(new URL('../../../core/test/fixtures/jobs/', import.meta.url));

/** Decodes, canonicalizes and validates one file; returns the lines to print and whether it is valid. */
function checkJobFile(path: string): { lines: string[]; ok: boolean } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return {
      lines: [`${basename(path)}: cannot read JSON: ${e instanceof Error ? e.message : String(e)}`],
      ok: false,
    };
  }
  const decoded = decodeJob(json);
  if (!decoded.ok)
    return {
      lines: [`${basename(path)}: invalid`, ...decoded.errors.map((e) => `  ${e.message}`)],
      ok: false,
    };
  const job = canonicalizeJob(decoded.value);
  const problems = validateJob(job);
  const lines = [`${basename(path)}: ${summary(job)}`, ...groupLines(job)];
  for (const p of problems) lines.push(`  error ${p.path}: ${p.message}`);
  return { lines, ok: problems.length === 0 };
}

function summary(job: Job): string {
  const tasks = job.taskGroups.reduce((n, g) => n + g.tasks.length, 0);
  const extra = [
    job.periodic ? `periodic "${job.periodic.spec || job.periodic.specs.join(', ')}"` : '',
    job.parameterizedJob ? 'parameterized' : '',
    job.multiregion ? `multiregion ${job.multiregion.regions.map((r) => r.name).join('/')}` : '',
  ].filter(Boolean);
  return [
    `job "${job.name}" (${job.type}, priority ${job.priority}, ns ${job.namespace}, dc ${job.datacenters.join(',')})`,
    `${job.taskGroups.length} group(s), ${tasks} task(s)`,
    ...extra,
  ].join(' — ');
}

function groupLines(job: Job): string[] {
  return job.taskGroups.flatMap((g) => [
    `  group "${g.name}" count ${g.count}` +
      (g.update ? `, update max_parallel ${g.update.maxParallel} canary ${g.update.canary}` : '') +
      (g.networks[0] ? `, network ${g.networks[0].mode || 'host'}` : ''),
    ...g.tasks.map((t) => {
      const r = t.resources;
      const cpu = r.cores > 0 ? `${r.cores} cores` : `${r.cpu} MHz`;
      const mem = r.memoryMaxMB > 0 ? `${r.memoryMB}-${r.memoryMaxMB} MB` : `${r.memoryMB} MB`;
      const hook = t.lifecycle ? ` [${t.lifecycle.hook}${t.lifecycle.sidecar ? ' sidecar' : ''}]` : '';
      return `    task "${t.name}" driver ${t.driver}${hook}: cpu ${cpu}, memory ${mem}, kill_timeout ${formatGoDuration(t.killTimeout)}`;
    }),
  ]);
}

function demo(files: string[]): number {
  const paths =
    files.length > 0
      ? files
      : readdirSync(FIXTURES)
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => join(FIXTURES, f));
  let bad = 0;
  for (const p of paths) {
    const { lines, ok } = checkJobFile(p);
    if (!ok) bad++;
    process.stdout.write(lines.join('\n') + '\n');
  }
  process.stdout.write(`\n${paths.length - bad} of ${paths.length} job(s) valid\n`);
  return bad === 0 ? 0 : 1;
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'demo') process.exitCode = demo(rest);
else {
  process.stderr.write('usage: tsnomad demo [job.json ...]\n');
  process.exitCode = 2;
}
