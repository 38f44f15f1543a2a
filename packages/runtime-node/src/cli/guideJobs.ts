/**
 * The demo's example jobs and how the demo loads a job file: HCL through `parseJobspec`, Nomad
 * API JSON through `decodeJob` + `canonicalizeJob` + `validateJob`. A bad file yields its
 * path-precise messages, never a stack trace.
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalizeJob, decodeJob, validateJob, type Job } from '@tsnomad/core';
import { formatDiagnostics, parseJobspec } from '@tsnomad/hcl';

/**
 * The package's `examples/jobs/` directory. This module runs from `src/cli/` (sources), from
 * `dist/` (the library bundle) or from `dist/cli/` (the command), so walk up to the package
 * root, which ships the examples (package.json `files`). Effects: stats the file system.
 */
function examplesDir(): string {
  let here: string;
  try {
    here = dirname(fileURLToPath(import.meta.url));
  } catch {
    here = __dirname; // the CommonJS bundle has no import.meta.url
  }
  let dir = here;
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'examples', 'jobs');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`@tsnomad/runtime-node: examples/jobs not found above ${here}`);
}

/**
 * The files of the demo's example jobs (a made-up bookshop: services, batch, system and
 * sysbatch jobs using most jobspec features), absolute paths, in name order. Effects: reads the
 * package's examples directory.
 */
export function exampleJobFiles(): string[] {
  const dir = examplesDir();
  return readdirSync(dir)
    .filter((f) => /\.(hcl|nomad|json)$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** @deprecated Use {@link exampleJobFiles}; kept for callers of the first release. */
export const guideJobFiles = exampleJobFiles;

/** A job file read and checked: the canonical job, or the messages explaining why not. */
export type LoadedJob = { ok: true; file: string; job: Job } | { ok: false; file: string; errors: string[] };

/**
 * The text of a regular file. Opened non-blocking and checked before reading, so a FIFO, a
 * directory or a device is refused at once instead of blocking or reading forever.
 */
function readRegularFile(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = st.isFIFO()
        ? 'a FIFO'
        : st.isDirectory()
          ? 'a directory'
          : st.isCharacterDevice() || st.isBlockDevice()
            ? 'a device'
            : st.isSocket()
              ? 'a socket'
              : 'not a file';
      throw new Error(`${path} is ${kind}; a job file must be a regular file`);
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Reads one job file (`.hcl`/`.nomad` as HCL, anything else as API JSON). */
export function loadJobFile(path: string): LoadedJob {
  const file = basename(path);
  let text: string;
  try {
    text = readRegularFile(path);
  } catch (e) {
    return { ok: false, file, errors: [`cannot read: ${e instanceof Error ? e.message : String(e)}`] };
  }
  if (/\.(hcl|nomad)$/.test(path)) {
    const r = parseJobspec(text, { filename: file });
    return r.ok
      ? { ok: true, file, job: r.value }
      : { ok: false, file, errors: [formatDiagnostics(r.diagnostics)] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, file, errors: [`cannot read JSON: ${e instanceof Error ? e.message : String(e)}`] };
  }
  const decoded = decodeJob(json);
  if (!decoded.ok) return { ok: false, file, errors: decoded.errors.map((e) => e.message) };
  const job = canonicalizeJob(decoded.value);
  const problems = validateJob(job);
  return problems.length === 0
    ? { ok: true, file, job }
    : { ok: false, file, errors: problems.map((p) => `${p.path}: ${p.message}`) };
}
