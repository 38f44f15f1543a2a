/**
 * HCL throughput: tsnomad's parser + hclToJson against hcl2-parser (HashiCorp's HCL and hcl2json
 * compiled to JavaScript) on the repository's HCL fixtures, after checking both give identical JSON.
 * Phases are a list so that the jobspec-decode phase can sit beside parse + hclToJson.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { hclToJson } from '@tsnomad/hcl';
import { decodeJobspec, parseJobspec } from '@tsnomad/hcl';
import { canonicalizeJob } from '@tsnomad/core';
import { median, opsPerSecond, type BenchOptions, type BenchResult } from './lib.js';
import { nomadJobspecs } from './nomadCorpus.js';

const hcl2 = createRequire(import.meta.url)('hcl2-parser') as { parseToString(s: string): [string, unknown] };

/** One comparison: the same corpus through ours and through the reference. */
export interface HclPhase {
  name: string;
  ours: (source: string) => unknown;
  reference: (source: string) => unknown;
}

/**
 * The corpus: every HCL document under @tsnomad/hcl's test fixtures (jobspecs and other
 * Nomad-ecosystem HCL the repository wrote for its tests), in a stable order.
 */
const CORPUS_DIR = fileURLToPath(new URL('../packages/hcl/test/fixtures/', import.meta.url));
function fixtureCorpus(): string[] {
  return (readdirSync(CORPUS_DIR, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.hcl'))
    .sort()
    .map((f) => readFileSync(join(CORPUS_DIR, f), 'utf8'));
}

function referenceJson(src: string): unknown {
  const [out] = hcl2.parseToString(src);
  return out === '' ? undefined : JSON.parse(out);
}

export const phases: HclPhase[] = [
  {
    name: 'parse+hclToJson',
    ours: (src) => {
      const r = hclToJson(src);
      return r.ok ? r.value : undefined;
    },
    reference: referenceJson,
  },
];

export default async function hclBench(opts: BenchOptions): Promise<BenchResult> {
  const corpus = fixtureCorpus();
  if (corpus.length === 0) throw new Error(`no HCL documents found under ${CORPUS_DIR}`);
  const bytes = corpus.reduce((n, s) => n + Buffer.byteLength(s), 0);
  const roundMs = opts.quick ? 300 : 1500;
  const summary: Record<string, unknown> = { documents: corpus.length, corpusBytes: bytes };
  const details: Record<string, unknown> = {};
  for (const phase of phases) {
    let identical = 0;
    for (const src of corpus) if (isDeepStrictEqual(phase.ours(src), phase.reference(src))) identical++;
    // Warm the JIT on our side; the reference's slow passes warm it on its own.
    const warmUntil = performance.now() + (opts.quick ? 300 : 1000);
    while (performance.now() < warmUntil) for (const src of corpus) phase.ours(src);
    // Alternate short rounds so that load from other processes hits both sides alike.
    const rounds = opts.quick ? 3 : 7;
    const oursRates: number[] = [];
    const refRates: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const o = opsPerSecond(() => {
        for (const src of corpus) phase.ours(src);
      }, roundMs);
      const f = opsPerSecond(() => {
        for (const src of corpus) phase.reference(src);
      }, roundMs);
      oursRates.push((o.perSecond * bytes) / 1e6);
      refRates.push((f.perSecond * bytes) / 1e6);
      ratios.push(o.perSecond / f.perSecond);
    }
    summary[phase.name] = {
      identical: `${identical}/${corpus.length}`,
      oursMBps: Number(median(oursRates).toFixed(2)),
      hcl2parserMBps: Number(median(refRates).toFixed(3)),
      ratio: Number(median(ratios).toFixed(1)),
    };
    details[phase.name] = { oursMBps: oursRates, hcl2parserMBps: refRates, ratios };
  }
  for (const c of jobspecCorpora()) {
    const r = fullJobspecPhase(c.files, opts);
    summary[`jobspec-full (${c.name})`] = r.summary;
    details[`jobspec-full (${c.name})`] = r.details;
  }
  return { summary, details };
}

// ---- full parseJobspec on jobspec corpora ----
// Ours: parseJobspec end to end (parse, evaluate, decode, canonicalize, validate). Reference:
// hcl2-parser's parse alone (HCL -> JSON), the lower bound of anything built on HashiCorp's HCL
// in JavaScript. Corpora: this repository's Nomad-parity fixtures, and Nomad's own jobspecs
// when a checkout is given (`npm run bench -- hcl --nomad=/path/to/nomad`, or NOMAD_CORPUS).

interface JobspecFile {
  rel: string;
  abs: string;
  source: string;
  vars: Record<string, string>;
}

function jobspecCorpora(): { name: string; files: JobspecFile[] }[] {
  const out: { name: string; files: JobspecFile[] }[] = [];
  const dir = new URL('../packages/hcl/test/nomad-parity/fixtures/', import.meta.url);
  const own = readdirSync(dir)
    .filter((f) => /\.(hcl|nomad)$/.test(f))
    .sort()
    .map((f) => {
      const abs = new URL(f, dir).pathname;
      return { rel: f, abs, source: readFileSync(abs, 'utf8'), vars: {} };
    });
  out.push({ name: 'nomad-parity fixtures', files: own });
  const flag = process.argv.find((a) => a.startsWith('--nomad='));
  const nomad = flag ? flag.slice('--nomad='.length) : process.env['NOMAD_CORPUS'];
  if (nomad) out.push({ name: 'nomad repository', files: nomadJobspecs(nomad) });
  return out;
}

function fullJobspecPhase(
  files: JobspecFile[],
  opts: BenchOptions,
): { summary: Record<string, unknown>; details: unknown } {
  const parse = (f: JobspecFile): boolean =>
    parseJobspec(f.source, { filename: f.abs, vars: f.vars, allowFs: true }).ok;
  const reference = (f: JobspecFile): boolean => hcl2.parseToString(f.source)[0] !== '';
  // Files that both sides accept are timed, so that neither side is timed on a failure path.
  const timed = files.filter((f) => parse(f) && reference(f));
  const bytes = timed.reduce((n, f) => n + Buffer.byteLength(f.source), 0);
  const roundMs = opts.quick ? 300 : 1500;
  const warmUntil = performance.now() + (opts.quick ? 300 : 1000);
  while (performance.now() < warmUntil) for (const f of timed) parse(f);
  const rounds = opts.quick ? 3 : 7;
  const oursRates: number[] = [];
  const refRates: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const o = opsPerSecond(() => {
      for (const f of timed) parse(f);
    }, roundMs);
    const f = opsPerSecond(() => {
      for (const x of timed) reference(x);
    }, roundMs);
    oursRates.push((o.perSecond * bytes) / 1e6);
    refRates.push((f.perSecond * bytes) / 1e6);
    ratios.push(o.perSecond / f.perSecond);
  }
  return {
    summary: {
      documents: `${timed.length}/${files.length}`,
      corpusBytes: bytes,
      oursMBps: Number(median(oursRates).toFixed(2)),
      hcl2parserMBps: Number(median(refRates).toFixed(3)),
      ratio: Number(median(ratios).toFixed(1)),
    },
    details: { oursMBps: oursRates, hcl2parserMBps: refRates, ratios },
  };
}

// ---- jobspec-decode phase (B2) ----
// Ours: parse + evaluate + decode to a canonical Job. HashiCorp's jobspec2 is Go and has no
// JavaScript build, so the reference side is hcl2-parser's parse alone (a lower bound on what
// a decoder built on it would cost). Both sides reduce to the job ID and group names, which
// must agree on every document; group- or task-only snippets give undefined on both sides.
function jobOutline(id: unknown, groups: string[]): unknown {
  // hcl2json keys labelled blocks in an object, so it loses their order; compare them sorted.
  return typeof id === 'string' ? { id, groups: [...groups].sort() } : undefined;
}

phases.push({
  name: 'jobspec-decode',
  ours: (src) => {
    const r = decodeJobspec(src, { filename: 'bench.nomad.hcl' });
    if (!r.ok) return undefined;
    const job = canonicalizeJob(r.value);
    return jobOutline(
      job.id,
      job.taskGroups.map((g) => g.name),
    );
  },
  reference: (src) => {
    const json = referenceJson(src) as
      { job?: Record<string, [{ group?: Record<string, unknown> }]> } | undefined;
    const [id, bodies] = Object.entries(json?.job ?? {})[0] ?? [];
    if (id === undefined) return undefined;
    return jobOutline(id, Object.keys(bodies?.[0]?.group ?? {}));
  },
});
