/** Properties of the HTTP layer's pure parts: body parsing, job diffs, config merging. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeConfig } from '../agent/config.js';
import { HttpError, parseJsonBody } from './http.js';
import { jobDiff } from './jobDiff.js';

const json = fc.jsonValue({ maxDepth: 4 });

describe('parseJsonBody', () => {
  it('reads back any JSON document', () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(parseJsonBody(JSON.stringify(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it('refuses a truncated document with a 400 whose position lies inside the text', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), json, { minKeys: 1 }),
        fc.nat(),
        (o, cut) => {
          const text = JSON.stringify(o);
          const at = 1 + (cut % (text.length - 1)); // a strict prefix, never empty
          let err: unknown;
          try {
            parseJsonBody(text.slice(0, at));
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(HttpError);
          const m = /invalid JSON at line (\d+), column (\d+) \(offset (\d+)\)/.exec(
            (err as HttpError).message,
          );
          expect(m).not.toBeNull();
          expect((err as HttpError).statusCode).toBe(400);
          expect(Number(m![3])).toBeLessThanOrEqual(at);
        },
      ),
    );
  });
});

const apiJob = fc.record({
  ID: fc.constant('j'),
  Priority: fc.integer({ min: 1, max: 100 }),
  Datacenters: fc.uniqueArray(fc.constantFrom('dc1', 'dc2', 'dc3'), { maxLength: 3 }),
  Meta: fc.dictionary(fc.constantFrom('a', 'b'), fc.string({ maxLength: 3 })),
  TaskGroups: fc.uniqueArray(
    fc.record({
      Name: fc.constantFrom('web', 'db', 'cache'),
      Count: fc.integer({ min: 0, max: 5 }),
      Tasks: fc.uniqueArray(
        fc.record({ Name: fc.constantFrom('t1', 't2'), Driver: fc.constantFrom('raw_exec', 'docker') }),
        {
          selector: (t) => t.Name,
          maxLength: 2,
        },
      ),
    }),
    { selector: (g) => g.Name, maxLength: 3 },
  ),
});

describe('jobDiff', () => {
  it('finds no change between a job and itself', () => {
    fc.assert(
      fc.property(apiJob, (j) => {
        const d = jobDiff(j, structuredClone(j));
        expect(d.Type).toBe('None');
        expect((d.TaskGroups as { Type: string }[]).every((g) => g.Type === 'None')).toBe(true);
      }),
    );
  });

  it('reports every group of either job once, and marks a changed count', () => {
    fc.assert(
      fc.property(apiJob, apiJob, (a, b) => {
        const d = jobDiff(a, b);
        const names = (d.TaskGroups as { Name: string }[]).map((g) => g.Name);
        expect(new Set(names)).toEqual(new Set([...a.TaskGroups, ...b.TaskGroups].map((g) => g.Name)));
        expect(names.length).toBe(new Set(names).size);
        for (const g of d.TaskGroups as { Name: string; Type: string; Fields: { Name: string }[] | null }[]) {
          const old = a.TaskGroups.find((x) => x.Name === g.Name);
          const neu = b.TaskGroups.find((x) => x.Name === g.Name);
          if (old && neu && old.Count !== neu.Count)
            expect(g.Fields?.some((f) => f.Name === 'Count')).toBe(true);
          if (!old) expect(g.Type).toBe('Added');
          if (!neu) expect(g.Type).toBe('Deleted');
        }
      }),
    );
  });
});

describe('mergeConfig', () => {
  const tree = fc.dictionary(
    fc.constantFrom('a', 'b', 'c'),
    fc.oneof(fc.integer(), fc.dictionary(fc.constantFrom('x', 'y'), fc.integer())),
  );
  it('lets the later file win for every leaf and keeps the rest', () => {
    fc.assert(
      fc.property(tree, tree, (a, b) => {
        const m = mergeConfig(a, b) as Record<string, unknown>;
        for (const [k, v] of Object.entries(b)) {
          if (typeof v === 'number') expect(m[k]).toBe(v);
          else
            for (const [kk, vv] of Object.entries(v)) expect((m[k] as Record<string, unknown>)[kk]).toBe(vv);
        }
        for (const k of Object.keys(a)) expect(k in m).toBe(true);
      }),
    );
  });
});
