/** go-bexpr filters as Nomad's list endpoints take them. */
import { describe, expect, it } from 'vitest';
import { applyFilter, compileFilter } from './filter.js';
import { HttpError } from './http.js';

const jobs = [
  {
    ID: 'web',
    Status: 'running',
    Priority: 50,
    Datacenters: ['dc1', 'dc2'],
    Meta: { team: 'a' },
    JobSummary: { Summary: { g: { Running: 2 } } },
  },
  {
    ID: 'batch',
    Status: 'dead',
    Priority: 70,
    Datacenters: ['dc2'],
    Meta: null,
    JobSummary: { Summary: { g: { Running: 0 } } },
  },
  {
    ID: 'api-2',
    Status: 'pending',
    Priority: 50,
    Datacenters: [],
    Meta: { team: 'b' },
    JobSummary: { Summary: {} },
  },
];
const ids = (f: string): string[] => applyFilter(f, jobs).map((j) => j.ID);

describe('filter expressions', () => {
  it('compares with == and != (numbers and booleans as text, as bexpr coerces)', () => {
    expect(ids('Status == "running"')).toEqual(['web']);
    expect(ids('Status != "running"')).toEqual(['batch', 'api-2']);
    expect(ids('Priority == 50')).toEqual(['web', 'api-2']);
    expect(ids('JobSummary.Summary.g.Running == 2')).toEqual(['web']);
  });
  it('tests membership with in / not in / contains on lists and map keys', () => {
    expect(ids('"dc1" in Datacenters')).toEqual(['web']);
    expect(ids('"dc2" not in Datacenters')).toEqual(['api-2']);
    expect(ids('Datacenters contains "dc2"')).toEqual(['web', 'batch']);
    expect(ids('"team" in Meta')).toEqual(['web', 'api-2']);
    expect(ids('ID contains "-"')).toEqual(['api-2']);
  });
  it('matches regular expressions and tests emptiness', () => {
    expect(ids('ID matches "^[a-z]+$"')).toEqual(['web', 'batch']);
    expect(ids('ID not matches "^w"')).toEqual(['batch', 'api-2']);
    expect(ids('Datacenters is empty')).toEqual(['api-2']);
    expect(ids('Meta is not empty')).toEqual(['web', 'api-2']);
  });
  it('combines with and, or, not and parentheses (and binds tighter than or)', () => {
    expect(ids('Priority == 50 and Status == "running" or Status == "dead"')).toEqual(['web', 'batch']);
    expect(ids('Priority == 50 and (Status == "running" or Status == "dead")')).toEqual(['web']);
    expect(ids('not Status == "running"')).toEqual(['batch', 'api-2']);
    expect(ids('Meta.team == `a`')).toEqual(['web']);
  });
  it('answers a bad expression with a 400 that names the column', () => {
    for (const [src, col] of [
      ['Status = "x"', 8],
      ['Status == ', 11],
      ['(Status == "x"', 15],
      ['Status == "x" extra', 15],
      ['ID matches "("', 12],
      ['Status == "open', 11],
    ] as const) {
      let err: unknown;
      try {
        compileFilter(src);
      } catch (e) {
        err = e;
      }
      expect(err, src).toBeInstanceOf(HttpError);
      expect((err as HttpError).statusCode).toBe(400);
      expect((err as HttpError).message).toMatch(
        new RegExp(`^failed to read filter expression: .* at column ${col}$`),
      );
    }
    expect(() => compileFilter('a == 1 or '.repeat(500))).toThrow(/longer than 4096/);
  });
});
