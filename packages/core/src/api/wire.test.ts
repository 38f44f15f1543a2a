import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../structs/evaluation.js';
import { decodeEvaluation, decodeNode, encodeEvaluation, encodeNode } from './codec.js';
import { ZERO_TIME, formatRfc3339Nano, parseRfc3339 } from './wire.js';

const S = 1_000_000_000;

describe('formatRfc3339Nano', () => {
  it('writes Go zero time for 0 (unset)', () => {
    expect(ZERO_TIME).toBe('0001-01-01T00:00:00Z');
    expect(formatRfc3339Nano(0)).toBe('0001-01-01T00:00:00Z');
  });

  it('writes UTC with the fraction trimmed of trailing zeros, as RFC3339Nano', () => {
    expect(formatRfc3339Nano(1_795_746_000 * S)).toBe('2026-11-27T02:20:00Z');
    expect(formatRfc3339Nano(1_795_746_000 * S + 120_000_000)).toBe('2026-11-27T02:20:00.12Z');
    expect(formatRfc3339Nano(1)).toBe('1970-01-01T00:00:00.000000001Z');
    expect(formatRfc3339Nano(1_500_000_000)).toBe('1970-01-01T00:00:01.5Z');
    expect(formatRfc3339Nano(123_456_789)).toBe('1970-01-01T00:00:00.123456789Z');
    // 256-ns steps are exact doubles at this magnitude; the exact integer is written.
    expect(formatRfc3339Nano(1_795_746_000_123_456_768)).toBe('2026-11-27T02:20:00.123456768Z');
  });

  it('writes times before 1970', () => {
    expect(formatRfc3339Nano(-1)).toBe('1969-12-31T23:59:59.999999999Z');
    expect(formatRfc3339Nano(-S)).toBe('1969-12-31T23:59:59Z');
    expect(formatRfc3339Nano(-14_182_940 * S + 5_000)).toBe('1969-07-20T20:17:40.000005Z');
  });

  it('handles leap days and the ends of the range Go can write', () => {
    expect(formatRfc3339Nano(Date.UTC(2024, 1, 29, 12) * 1e6)).toBe('2024-02-29T12:00:00Z');
    expect(formatRfc3339Nano(Date.UTC(2000, 1, 29) * 1e6)).toBe('2000-02-29T00:00:00Z');
    expect(formatRfc3339Nano(-62_167_219_200 * S)).toBe('0000-01-01T00:00:00Z');
    expect(formatRfc3339Nano(253_402_300_736 * S)).toBe('9999-12-31T23:58:56Z');
    // Near 9999 doubles are 32768 ns apart: the exact integer of the nearest one is written.
    const nearest = BigInt(Number(253_402_300_799_999_960_000n)) % 1_000_000_000n;
    expect(nearest).toBe(999_967_232n);
    expect(formatRfc3339Nano(parseRfc3339('9999-12-31T23:59:59.99996Z') ?? 0)).toBe(
      '9999-12-31T23:59:59.999967232Z',
    );
    expect(formatRfc3339Nano(253_402_300_800 * S)).toBeUndefined();
    expect(formatRfc3339Nano(-62_167_219_201 * S)).toBeUndefined();
    expect(formatRfc3339Nano(Number.NaN)).toBeUndefined();
  });

  it('agrees with Date#toISOString where ms * 1e6 is an exact double', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          // Any millisecond within ±104 days of the epoch (ns stays a safe integer) …
          fc.integer({ min: -9_000_000_000, max: 9_000_000_000 }),
          // … and every 512th second of years 1–9999 (its ns has enough factors of two).
          fc.integer({ min: -121_357_000, max: 494_926_000 }).map((k) => k * 512_000),
        ),
        (ms) => {
          if (ms === 0) return;
          const iso = new Date(ms)
            .toISOString()
            .replace(/\.000Z$/, 'Z')
            .replace(/(\.\d*?)0+Z$/, '$1Z');
          expect(formatRfc3339Nano(ms * 1e6)).toBe(iso);
        },
      ),
    );
  });
});

describe('parseRfc3339', () => {
  it('reads Go zero time and the empty string as 0', () => {
    expect(parseRfc3339('0001-01-01T00:00:00Z')).toBe(0);
    expect(parseRfc3339('0001-01-01T09:00:00+09:00')).toBe(0);
  });

  it('reads fractions to the nanosecond, offsets and times before 1970', () => {
    expect(parseRfc3339('2026-11-27T02:20:00Z')).toBe(1_795_746_000 * S);
    expect(parseRfc3339('2026-11-27T11:20:00+09:00')).toBe(1_795_746_000 * S);
    expect(parseRfc3339('2026-11-26T21:50:00-04:30')).toBe(1_795_746_000 * S);
    expect(parseRfc3339('1970-01-01T00:00:00.000000001Z')).toBe(1);
    expect(parseRfc3339('1970-01-01T00:00:00.1234567891Z')).toBe(123_456_789);
    expect(parseRfc3339('2026-11-27T02:20:00.123456768Z')).toBe(1_795_746_000_123_456_768);
    expect(parseRfc3339('1969-12-31T23:59:59.999999999Z')).toBe(-1);
    expect(parseRfc3339('1969-07-20T20:17:40.000005Z')).toBe(-14_182_940 * S + 5_000);
    expect(parseRfc3339('0050-06-01T00:00:00Z')).toBe(-60_576_249_600 * S);
  });

  it('rejects malformed and out-of-range fields', () => {
    for (const s of [
      '2026-11-27',
      '2026-11-27T02:20Z',
      '2026-13-01T00:00:00Z',
      '2026-11-31T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2100-02-29T00:00:00Z',
      '2026-11-27T24:00:00Z',
      '2026-11-27T00:60:00Z',
      '2026-11-27T00:00:60Z',
      '2026-11-27T00:00:00+24:00',
      '2026-11-27T00:00:00.Z',
      '2026-11-27T00:00:00',
    ])
      expect(parseRfc3339(s), s).toBeUndefined();
  });

  it('round-trips any integer ns in Go’s range, and any double there exactly', () => {
    const lo = -62_167_219_200 * S;
    const hi = 253_402_300_799 * S;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
          fc.double({ min: lo, max: hi, noNaN: true }).map(Math.round),
        ),
        (ns) => {
          // Go's zero instant is "unset", i.e. 0, by design.
          fc.pre(ns !== -62_135_596_800 * S);
          const s = formatRfc3339Nano(ns);
          expect(s).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$/);
          expect(parseRfc3339(s ?? '')).toBe(ns + 0);
        },
      ),
    );
  });
});

describe('time.Time fields on the wire', () => {
  const ev = (): Evaluation => {
    const r = decodeEvaluation({ ID: 'e', WaitUntil: '2026-11-27T02:20:00.5Z', CreateTime: 7 });
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    return r.value;
  };

  it('are written as RFC 3339 strings; int64 ns fields stay numbers', () => {
    const e = ev();
    expect(e.waitUntil).toBe(1_795_746_000_500_000_000);
    const json = encodeEvaluation(e);
    expect(json.WaitUntil).toBe('2026-11-27T02:20:00.5Z');
    expect(json.CreateTime).toBe(7);
    expect(encodeEvaluation({ ...e, waitUntil: 0 }).WaitUntil).toBe('0001-01-01T00:00:00Z');
  });

  it('are read from numbers too, and written as strings', () => {
    const r = decodeNode({
      ID: 'n',
      DrainStrategy: { Deadline: 60 * S, ForceDeadline: 1_500_000_000, StartedAt: '0001-01-01T00:00:00Z' },
    });
    expect(r.ok && r.value.drainStrategy).toEqual({
      deadline: 60 * S,
      ignoreSystemJobs: false,
      forceDeadline: 1_500_000_000,
      startedAt: 0,
    });
    if (r.ok)
      expect(encodeNode(r.value).DrainStrategy).toEqual({
        Deadline: 60 * S,
        IgnoreSystemJobs: false,
        ForceDeadline: '1970-01-01T00:00:01.5Z',
        StartedAt: '0001-01-01T00:00:00Z',
      });
  });

  it('report a bad timestamp with its path', () => {
    const r = decodeEvaluation({ WaitUntil: '2026-02-30T00:00:00Z' });
    expect(r.ok || r.errors.map((e) => e.message)).toEqual([
      'Evaluation.WaitUntil: expected a timestamp (ns or RFC 3339), got "2026-02-30T00:00:00Z"',
    ]);
  });

  it('keep a value Go cannot write (past year 9999) as a number', () => {
    expect(encodeEvaluation({ ...ev(), waitUntil: 1e21 }).WaitUntil).toBe(1e21);
  });
});
