/**
 * Properties of the job model: the codecs round-trip, canonicalize is idempotent, and nothing
 * a decoder accepts makes canonicalize or validate throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalizeJob,
  decodeAllocation,
  decodeDeployment,
  decodeEvaluation,
  decodeJob,
  decodeNode,
  decodeStoredJob,
  encodeAllocation,
  encodeDeployment,
  encodeEvaluation,
  encodeJob,
  encodeNode,
  validateJob,
} from '@tsnomad/core';
import { arbAllocation, arbDeployment, arbEvaluation, arbJob, arbNode } from './arbitraries.js';

/** Through the wire: JSON text and back, as an HTTP client would see it. */
const wire = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

describe('codecs round-trip', () => {
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
        (node) => void expect(decodeNode(wire(encodeNode(node)))).toEqual({ ok: true, value: node }),
      ),
    );
  });

  it('decodeAllocation(encodeAllocation(alloc)) equals alloc', () => {
    fc.assert(
      fc.property(
        arbAllocation(),
        (a) => void expect(decodeAllocation(wire(encodeAllocation(a)))).toEqual({ ok: true, value: a }),
      ),
    );
  });

  it('decodeEvaluation(encodeEvaluation(ev)) equals ev', () => {
    fc.assert(
      fc.property(
        arbEvaluation(),
        (e) => void expect(decodeEvaluation(wire(encodeEvaluation(e)))).toEqual({ ok: true, value: e }),
      ),
    );
  });

  it('decodeDeployment(encodeDeployment(d)) equals d', () => {
    fc.assert(
      fc.property(
        arbDeployment(),
        (d) => void expect(decodeDeployment(wire(encodeDeployment(d)))).toEqual({ ok: true, value: d }),
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
