/**
 * The guide's job examples (fixtures/jobs) decode, canonicalize, validate and round-trip; the
 * broken fixtures (fixtures/broken) yield exactly the expected path-precise errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalizeJob, decodeJob, encodeJob, validateJob } from '@tsnomad/core';

const dir = join(import.meta.dirname, 'fixtures');
const read = (p: string): unknown => JSON.parse(readFileSync(join(dir, p), 'utf8'));
const jobs = readdirSync(join(dir, 'jobs')).filter((f) => f.endsWith('.json'));
const broken = readdirSync(join(dir, 'broken')).filter(
  (f) => f.endsWith('.json') && !f.endsWith('.expected.json'),
);

describe('guide job fixtures', () => {
  it('are all there', () => {
    expect(jobs.length).toBeGreaterThanOrEqual(36);
  });

  it.each(jobs)('%s decodes, canonicalizes and validates', (file) => {
    const r = decodeJob(read(`jobs/${file}`));
    if (!r.ok) expect.fail(r.errors.map((e) => e.message).join('\n'));
    const job = canonicalizeJob(r.value);
    expect(validateJob(job)).toEqual([]);
    expect(job.taskGroups.length).toBeGreaterThan(0);
    // Round trips: encode/decode keeps the job; canonicalize is idempotent.
    expect(decodeJob(encodeJob(r.value))).toEqual(r);
    expect(canonicalizeJob(job)).toEqual(job);
    const again = decodeJob(encodeJob(job));
    expect(again.ok && canonicalizeJob(again.value)).toEqual(job);
  });
});

describe('broken job fixtures', () => {
  it('exist', () => {
    expect(broken.length).toBeGreaterThanOrEqual(5);
  });

  it.each(broken)('%s yields the expected errors', (file) => {
    const expected = read(`broken/${file.replace(/\.json$/, '.expected.json')}`) as {
      decode?: string[];
      validate?: string[];
    };
    const r = decodeJob(read(`broken/${file}`));
    if (expected.decode) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.map((e) => e.message)).toEqual(expected.decode);
      return;
    }
    if (!r.ok) expect.fail(r.errors.map((e) => e.message).join('\n'));
    expect(validateJob(canonicalizeJob(r.value)).map((p) => `${p.path}: ${p.message}`)).toEqual(
      expected.validate,
    );
  });
});
