/**
 * Properties of the job model: the codecs round-trip, canonicalize is idempotent, and nothing
 * a decoder accepts makes canonicalize or validate throw.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalizeJob, decodeJob, encodeJob, validateJob } from '@tsnomad/core';
import {
  decodeAllocation,
  decodeDeployment,
  decodeEvaluation,
  decodeNode,
  decodeStoredJob,
  encodeAllocation,
  encodeDeployment,
  encodeEvaluation,
  encodeNode,
} from '@tsnomad/core/structs';
import { arbAllocation, arbDeployment, arbEvaluation, arbJob, arbNode } from './arbitraries.js';

/** Through the wire: JSON text and back, as an HTTP client would see it. */
const wire = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

/** Wire names of the Go `time.Time` fields in these structs (int64 ns fields are not here). */
const TIME_KEYS = new Set([
  'UpdateTime',
  'ForceDeadline',
  'StartedAt',
  'LastRestart',
  'FinishedAt',
  'Timestamp',
  'WaitUntil',
  'RequireProgressBy',
]);
const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$/;

/** Encodes, checks every `time.Time` field went out as an RFC3339Nano string, then sends it over JSON. */
const wireTimes = (x: Record<string, unknown>): unknown => {
  let seen = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (TIME_KEYS.has(k) && (typeof x !== 'object' || x === null)) {
          expect(x, k).toMatch(RFC3339_NANO);
          seen++;
        } else walk(x);
      }
  };
  walk(x);
  timeFieldsSeen += seen;
  return wire(x);
};
let timeFieldsSeen = 0;

describe('codecs round-trip', () => {
  afterAll(() => {
    // The string form was really exercised, not skipped by empty structs.
    expect(timeFieldsSeen).toBeGreaterThan(100);
  });

  it('decodeJob(encodeJob(job)) equals job', () => {
    fc.assert(
      fc.property(arbJob(), (job) => {
        expect(decodeJob(wire(encodeJob(job)))).toEqual({ ok: true, value: job });
        expect(decodeStoredJob(wire(encodeJob(job)))).toEqual({ ok: true, value: job });
        expect(decodeJob(wire({ Job: encodeJob(job) }))).toEqual({ ok: true, value: job });
      }),
    );
  });

  it('decodeNode(encodeNode(node)) equals node', () => {
    fc.assert(
      fc.property(
        arbNode(),
        (node) => void expect(decodeNode(wireTimes(encodeNode(node)))).toEqual({ ok: true, value: node }),
      ),
    );
  });

  it('decodeAllocation(encodeAllocation(alloc)) equals alloc', () => {
    fc.assert(
      fc.property(
        arbAllocation(),
        (a) => void expect(decodeAllocation(wireTimes(encodeAllocation(a)))).toEqual({ ok: true, value: a }),
      ),
    );
  });

  it('decodeEvaluation(encodeEvaluation(ev)) equals ev', () => {
    fc.assert(
      fc.property(
        arbEvaluation(),
        (e) => void expect(decodeEvaluation(wireTimes(encodeEvaluation(e)))).toEqual({ ok: true, value: e }),
      ),
    );
  });

  it('decodeDeployment(encodeDeployment(d)) equals d', () => {
    fc.assert(
      fc.property(
        arbDeployment(),
        (d) => void expect(decodeDeployment(wireTimes(encodeDeployment(d)))).toEqual({ ok: true, value: d }),
      ),
    );
  });
});

/** A partial job: the wire form of an arbitrary job with some keys removed at random. */
const arbPartialWireJob = (): fc.Arbitrary<unknown> =>
  fc.tuple(arbJob(), fc.infiniteStream(fc.boolean())).map(([job, coins]) => {
    const it = coins[Symbol.iterator]();
    const prune = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(prune);
      if (v && typeof v === 'object')
        return Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(() => it.next().value !== true)
            .map(([k, x]) => [k, prune(x)]),
        );
      return v;
    };
    return prune(wire(encodeJob(job)));
  });

describe('canonicalizeJob', () => {
  it('is idempotent on any decoded job', () => {
    fc.assert(
      fc.property(arbPartialWireJob(), (json) => {
        const r = decodeJob(json);
        if (!r.ok) return;
        const once = canonicalizeJob(r.value);
        expect(canonicalizeJob(once)).toEqual(once);
        // A canonical job also survives the wire.
        const back = decodeStoredJob(wire(encodeJob(once)));
        expect(back).toEqual({ ok: true, value: once });
      }),
    );
  });
});

describe('validateJob', () => {
  it('never throws on any decoded input', () => {
    fc.assert(
      fc.property(fc.oneof(arbPartialWireJob(), fc.jsonValue()), (json) => {
        const r = decodeJob(json);
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          return;
        }
        const problems = validateJob(canonicalizeJob(r.value));
        for (const p of problems) expect(p.path.startsWith('Job')).toBe(true);
      }),
    );
  });
});
