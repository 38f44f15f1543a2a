#!/usr/bin/env node
// Runs parseJobspec over every jobspec in a Nomad checkout and sorts the failures by kind.
//
//   node --conditions=source --import tsx scripts/nomad-corpus.mjs /path/to/nomad [--verbose] [--json]
//
// A jobspec is any .hcl / .nomad / .nomad.hcl / .nomad.json file (outside website/, ui/,
// node_modules/) whose top level has a `job "…"` block. Files that need `-var` values get them
// from CORPUS_VARS (benchmarks/nomadCorpus.ts). Exit status 1 when a file fails that is not
// listed in EXPECTED_FAILURES (jobs Nomad itself rejects). Nothing of Nomad's is copied into
// this repository; the script reads the checkout it is given. The bench
// (`npm run bench -- hcl --nomad=PATH`) uses the same list.
import { EXPECTED_FAILURES, nomadJobspecs } from '../benchmarks/nomadCorpus.ts';

/** One line per diagnostic kind: its summary with quoted names and numbers folded. */
function kind(d) {
  return `${d.summary}: ${d.detail ?? ''}`
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, 'N')
    .slice(0, 140);
}

async function main() {
  const args = process.argv.slice(2);
  const root = args.find((a) => !a.startsWith('--'));
  if (!root) {
    console.error(
      'usage: node --conditions=source --import tsx scripts/nomad-corpus.mjs NOMAD_CHECKOUT [--verbose] [--json]',
    );
    process.exit(2);
  }
  const { parseJobspec } = await import('@tsnomad/hcl');
  const files = nomadJobspecs(root);
  const kinds = new Map();
  const failed = [];
  const report = [];
  for (const f of files) {
    const r = parseJobspec(f.source, { filename: f.abs, vars: f.vars, allowFs: true });
    const expected = Object.hasOwn(EXPECTED_FAILURES, f.rel);
    if (r.ok) {
      report.push({ file: f.rel, ok: true, expectedFailure: expected });
      continue;
    }
    report.push({ file: f.rel, ok: false, expectedFailure: expected, diagnostics: r.diagnostics });
    if (!expected) failed.push(f.rel);
    for (const d of r.diagnostics) {
      const k = kind(d);
      const list = kinds.get(k) ?? [];
      list.push(`${f.rel}:${d.range?.start?.line ?? '?'}`);
      kinds.set(k, list);
    }
  }
  if (args.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    for (const [k, where] of [...kinds].sort((a, b) => b[1].length - a[1].length)) {
      console.log(`${String(where.length).padStart(4)}  ${k}`);
      if (args.includes('--verbose')) for (const w of where) console.log(`        ${w}`);
    }
    const ok = report.filter((r) => r.ok).length;
    const exp = report.filter((r) => !r.ok && r.expectedFailure).length;
    console.log(
      `\n${files.length} jobspecs: ${ok} ok, ${exp} rejected as Nomad rejects them, ${failed.length} unexpected failures`,
    );
    for (const f of failed) console.log(`  FAIL ${f}`);
  }
  process.exit(failed.length ? 1 : 0);
}

await main();
