/**
 * `parseJobspec`: an HCL2 job file -> core `Job`, with jobspec2's semantics (variables,
 * locals, functions, `dynamic`, run-time references kept as `${…}` text), then the same
 * `canonicalizeJob` / `validateJob` as JSON input.
 */

import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { canonicalizeJob, validateJob, type Job, type JobInput } from '@tsnomad/core';
import { diagError, type Diagnostic } from '../diagnostics.js';
import { createEvalBudget } from '../eval/budget.js';
import { jobspecFunctions } from '../functions/library.js';
import type { FunctionContext, HclFunction } from '../functions/types.js';
import { parseHcl } from '../syntax/parser.js';
import { blockRanges, decodeBlock, recordingRanges, withRanges } from './bodyDecoder.js';
import { jobSpec } from './jobSchema.js';
import { looksLikeJson, parseJsonJobspec } from './jsonBody.js';
import { MAX_DYNAMIC_BLOCKS, type Scope } from './scope.js';
import { resolveLocals, resolveVariables, type VarFile } from './variables.js';

/** Options of parseJobspec; all optional. */
export interface ParseJobspecOptions {
  /** Shown in diagnostics; its directory is the base of relative paths for file functions. */
  readonly filename?: string;
  /** `-var name=value` flags (highest precedence). */
  readonly vars?: Readonly<Record<string, string>>;
  /** Var files, HCL or (`.json`) JSON, applied in order after the environment. */
  readonly varFiles?: readonly VarFile[];
  /** Environment; `NOMAD_VAR_<name>` entries set variables. Defaults to none (not process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Allow file, filebase64, fileexists, fileset, abspath, basename, dirname, pathexpand. */
  readonly allowFs?: boolean;
  /** Reads a file for the file functions (absolute path). Defaults to node:fs. */
  readonly readFile?: (absPath: string) => Uint8Array;
  /** Random bytes for uuidv4 and bcrypt salts. Defaults to node:crypto. */
  readonly randomBytes?: (n: number) => Uint8Array;
}

/**
 * A job (with warnings about input Nomad accepts but ignores), or every diagnostic explaining
 * why there is none. For the decoded input without canonicalization or validation, use
 * `decodeJobspec`.
 */
export type JobspecResult =
  { ok: true; value: Job; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Parses and decodes a jobspec. Never throws for user mistakes. Reads files only when `allowFs`.
 *
 * @example
 * const r = parseJobspec('job "web" {\n  group "g" {\n    task "t" { driver = "docker" }\n  }\n}\n', { filename: 'web.hcl' });
 * if (r.ok) r.value.taskGroups[0].tasks[0].driver; // 'docker'
 * else console.error(formatDiagnostics(r.diagnostics));
 */
export function parseJobspec(source: string, opts: ParseJobspecOptions = {}): JobspecResult {
  const r = decodeJobspec(source, opts);
  if (!r.ok) return r;
  const disk = tasksWithDisk(r.value);
  const job = canonicalizeJob(r.value);
  const problems = validateJob(job);
  if (problems.length === 0 && disk.length === 0) return { ok: true, value: job, warnings: [] };
  // Positions are wanted: decode again, recording each block's range (see withRanges).
  const ranged = withRanges(() => decodeJobspec(source, opts));
  const input = ranged.ok ? ranged.value : r.value;
  const jobRange = ranged.ok ? ranged.jobRange : r.jobRange;
  if (problems.length) {
    return {
      ok: false,
      diagnostics: problems.map((p) =>
        diagError(problemRange(input, p.path) ?? jobRange, `Invalid job: ${p.path}`, p.message),
      ),
    };
  }
  const warnings = disk.map(([gi, ti, name]): Diagnostic => {
    const res = input.taskGroups?.[gi]?.tasks?.[ti]?.resources;
    return {
      severity: 'warning',
      summary: 'Task disk ignored',
      detail: `resources.disk of task ${JSON.stringify(name)} is ignored, as Nomad ignores it; size the group's ephemeral_disk instead`,
      range: (res && blockRanges.get(res)) ?? jobRange,
    };
  });
  return { ok: true, value: job, warnings };
}

/**
 * Tasks whose `resources.disk` is set, as [group index, task index, name]. Nomad's api ->
 * structs conversion ignores a task's disk (disk is the group's `ephemeral_disk`), and so does
 * canonicalizeJob; parseJobspec says so in a warning instead of dropping it silently.
 */
function tasksWithDisk(input: JobInput): [number, number, string][] {
  const out: [number, number, string][] = [];
  const groups = input.taskGroups ?? [];
  for (let gi = 0; gi < groups.length; gi++) {
    const tasks = groups[gi]?.tasks ?? [];
    for (let ti = 0; ti < tasks.length; ti++) {
      const t = tasks[ti];
      if (t?.resources?.diskMB !== undefined) out.push([gi, ti, t.name ?? '']);
    }
  }
  return out;
}

/** The decoded job input before canonicalization, with the job block's range. */
export function decodeJobspec(
  source: string,
  opts: ParseJobspecOptions = {},
): { ok: true; value: JobInput; jobRange: Diagnostic['range'] } | { ok: false; diagnostics: Diagnostic[] } {
  const r = decodeOnce(source, opts);
  // Some schema checks place their errors with recorded block ranges: decode again for them.
  if (!r.ok && !recordingRanges()) return withRanges(() => decodeOnce(source, opts));
  return r;
}

function decodeOnce(
  source: string,
  opts: ParseJobspecOptions,
): { ok: true; value: JobInput; jobRange: Diagnostic['range'] } | { ok: false; diagnostics: Diagnostic[] } {
  const filename = opts.filename ?? '<input>';
  // HCL's JSON syntax is read when the document starts with `{`, as jobspec2 decides.
  const parsed = looksLikeJson(source)
    ? parseJsonJobspec(source, filename, jobSpec)
    : parseHcl(source, filename);
  if (parsed.diagnostics.length) return { ok: false, diagnostics: parsed.diagnostics };
  const diags: Diagnostic[] = [];
  const fctx = functionContext(filename, opts);
  // One budget for the whole file: variables, locals and the job body draw on it together.
  const base: Scope = {
    variables: {},
    functions: jobspecFunctions() as Record<string, HclFunction>,
    functionContext: fctx,
    evalBudget: createEvalBudget(),
  };
  const vars = resolveVariables(parsed.body, opts, base, diags);
  if (diags.length) return { ok: false, diagnostics: diags };
  const withVars: Scope = { ...base, variables: { var: vars } };
  const locals = resolveLocals(parsed.body, withVars, diags);
  // As jobspec2, stop at variable and local errors: decoding on would only add a cascade of
  // "Unsupported attribute" errors for every use of an unset variable.
  if (diags.length) return { ok: false, diagnostics: diags };
  const scope: Scope = {
    ...base,
    variables: { var: vars, local: locals },
    budget: { dynamicBlocks: MAX_DYNAMIC_BLOCKS },
  };

  for (const a of parsed.body.attributes) {
    diags.push(
      diagError(
        a.nameRange,
        'Unsupported argument',
        `an argument named "${a.name}" is not expected at the top level`,
      ),
    );
  }
  const jobs = parsed.body.blocks.filter((b) => b.type === 'job');
  for (const b of parsed.body.blocks) {
    if (!['job', 'variable', 'variables', 'locals'].includes(b.type)) {
      diags.push(
        diagError(b.typeRange, 'Unsupported block type', `blocks of type "${b.type}" are not expected here`),
      );
    }
  }
  const jobBlock = jobs[0];
  if (!jobBlock) {
    diags.push(
      diagError(parsed.body.range, 'Missing job block', 'a jobspec needs one job "name" { … } block'),
    );
    return { ok: false, diagnostics: diags };
  }
  for (const extra of jobs.slice(1))
    diags.push(diagError(extra.typeRange, 'Duplicate job block', 'only one job block is allowed'));
  if (jobBlock.labels.length !== 1) {
    diags.push(
      diagError(jobBlock.typeRange, 'Missing name for job', 'a job block takes one label: the job ID'),
    );
  }
  const job = decodeBlock({ ...jobBlock, scope }, jobSpec, diags);
  if (diags.length) return { ok: false, diagnostics: diags };
  return { ok: true, value: job as JobInput, jobRange: jobBlock.typeRange };
}

/**
 * The range of the innermost block a validation path (`Job.TaskGroups[0].Tasks[1].Driver`)
 * runs through, found by following the path in the decoded input.
 */
function problemRange(input: JobInput, path: string): Diagnostic['range'] | undefined {
  let cur: unknown = input;
  let best: Diagnostic['range'] | undefined;
  for (const seg of path.split('.').slice(1)) {
    const m = /^(\w+)((?:\[\d+\])*)$/.exec(seg);
    if (!m) break;
    const name = m[1] ?? '';
    cur = (cur as Record<string, unknown> | undefined)?.[name.charAt(0).toLowerCase() + name.slice(1)];
    for (const idx of (m[2] ?? '').match(/\d+/g) ?? []) cur = (cur as unknown[] | undefined)?.[Number(idx)];
    if (typeof cur !== 'object' || cur === null) break;
    best = blockRanges.get(cur) ?? best;
  }
  return best;
}

function functionContext(filename: string, opts: ParseJobspecOptions): FunctionContext {
  const read = opts.readFile ?? ((p: string) => nodeFs.readFileSync(p));
  const ctx: FunctionContext = {
    now: () => Date.now(),
    randomBytes: opts.randomBytes ?? ((n) => randomBytes(n)),
  };
  if (!opts.allowFs) return ctx;
  let baseDir: string | undefined;
  return {
    ...ctx,
    fs: {
      // Resolved on first use: path.resolve asks the process for its working directory.
      get baseDir(): string {
        return (baseDir ??= path.dirname(path.resolve(filename)));
      },
      readFile: read,
      exists: (p) => {
        try {
          read(p);
          return true;
        } catch {
          return false;
        }
      },
      glob: (dir, pattern) => {
        const re = globToRegExp(pattern);
        const walk = (d: string): string[] =>
          nodeFs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
            const full = path.join(d, e.name);
            return e.isDirectory() ? walk(full) : [full];
          });
        try {
          return walk(dir).filter((f) => re.test(path.relative(dir, f).split(path.sep).join('/')));
        } catch {
          return [];
        }
      },
    },
  };
}

/** A doublestar glob (`**`, `*`, `?`) as a regular expression over `/`-separated paths. */
function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}
