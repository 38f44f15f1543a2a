/**
 * Every example job under `test/fixtures/jobs/` is written twice, by hand: as a jobspec
 * (`<name>.hcl`) and as the Nomad API JSON it must mean (`<name>.json`). The HCL decodes to the
 * same canonical job as the JSON: canonicalizeJob(decodeJobspec(HCL)) deep-equals
 * canonicalizeJob(decodeJob(JSON)), and the job validates.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalizeJob, decodeJob, validateJob, type Job } from '@tsnomad/core';
import { formatDiagnostics } from '../../src/diagnostics.js';
import { decodeJobspec } from '../../src/jobspec/parseJobspec.js';

const DIR = new URL('../fixtures/jobs/', import.meta.url);
const files = readdirSync(DIR);
const names = files.filter((f) => f.endsWith('.hcl')).map((f) => f.slice(0, -'.hcl'.length));

/**
 * Labelled blocks (regions, ports) keep source order in Nomad's jobspec2; the JSON side may list
 * them in another order. Compare them as sets.
 */
function normalizeOrder(job: Job): Job {
  const copy = structuredClone(job);
  copy.multiregion?.regions.sort((a, b) => a.name.localeCompare(b.name));
  for (const g of copy.taskGroups) {
    for (const n of [...g.networks, ...g.tasks.flatMap((t) => t.resources.networks)]) {
      n.dynamicPorts.sort((a, b) => a.label.localeCompare(b.label));
      n.reservedPorts.sort((a, b) => a.label.localeCompare(b.label));
    }
  }
  return copy;
}

describe('example jobs: HCL == API JSON', () => {
  it('every HCL file has its JSON twin and the reverse', () => {
    expect(names.length).toBeGreaterThanOrEqual(15);
    expect(files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length))).toEqual(names);
  });

  it.each(names)('%s', (name) => {
    const r = decodeJobspec(readFileSync(new URL(`${name}.hcl`, DIR), 'utf8'), { filename: `${name}.hcl` });
    if (!r.ok) throw new Error(formatDiagnostics(r.diagnostics));
    const fromHcl = canonicalizeJob(r.value);
    const decoded = decodeJob(JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8')));
    if (!decoded.ok) throw new Error(`${name}.json does not decode: ${JSON.stringify(decoded.errors)}`);
    const fromJson = canonicalizeJob(decoded.value);
    expect(validateJob(fromHcl)).toEqual([]);
    expect(normalizeOrder(fromHcl)).toEqual(normalizeOrder(fromJson));
  });
});
