import { describe, expect, it } from 'vitest';
import { checkConstraint } from './checkConstraint.js';
import { versionMatches } from './version.js';

describe('checkConstraint truth table (Nomad TestCheckConstraint)', () => {
  const cases: [string, string | undefined, string | undefined, boolean][] = [
    ['=', 'foo', 'foo', true],
    ['is', 'foo', 'foo', true],
    ['==', 'foo', 'foo', true],
    ['==', 'foo', undefined, false],
    ['==', undefined, 'foo', false],
    ['==', undefined, undefined, false],
    ['!=', 'foo', 'foo', false],
    ['!=', 'foo', 'bar', true],
    ['!=', undefined, 'foo', true],
    ['!=', 'foo', undefined, true],
    ['!=', undefined, undefined, false],
    ['not', 'foo', 'bar', true],
    ['version', '1.2.3', '~> 1.0', true],
    ['version', undefined, '~> 1.0', false],
    ['regexp', 'foobarbaz', '[\\w]+', true],
    ['regexp', undefined, '[\\w]+', false],
    ['<', 'foo', 'bar', false],
    ['<', undefined, 'bar', false],
    ['set_contains', 'foo,bar,baz', 'foo,  bar  ', true],
    ['set_contains', 'foo,bar,baz', 'foo,bam', false],
    ['set_contains_any', 'r1,r2', 'r9, r2', true],
    ['set_contains_any', 'r1,r2', 'r9,r3', false],
    ['is_set', 'foo', undefined, true],
    ['is_set', undefined, undefined, false],
    ['is_not_set', undefined, undefined, true],
    ['is_not_set', 'foo', undefined, false],
    ['distinct_hosts', undefined, undefined, true],
    ['no_such_operator', 'a', 'a', false],
  ];
  it.each(cases)('%s %s %s = %s', (op, l, r, want) => {
    expect(checkConstraint(l, op, r)).toBe(want);
  });
});

describe('ordering: integers, then floats, then lexical', () => {
  const cases: [string, string, string, boolean][] = [
    ['<', '1', '2', true],
    ['<', '10', '9', false],
    ['<=', '1', '1', true],
    ['>', '10', '2', true],
    ['>=', '2.5', '2.25', true],
    ['<', '1.5', '10', true],
    ['<', 'a', 'b', true],
    ['>', 'foo', 'bar', true],
    ['<', '10', 'foo', true],
  ];
  it.each(cases)('%s %s %s', (op, l, r, want) => {
    expect(checkConstraint(l, op, r)).toBe(want);
  });
});

describe('version constraints (go-version rules)', () => {
  const cases: [string, string, boolean][] = [
    ['1.2.3', '~> 1.0', true],
    ['1.2.3', '>= 1.0, < 1.4', true],
    ['2.0.1', '~> 1.0', false],
    ['1.4', '>= 1.0, < 1.4', false],
    ['1', '~> 1.0', true],
    ['1.3.0-beta1', '>= 0.6.1', false],
    ['1.7.0-alpha1', '>= 1.6.0-beta1', false],
    ['1.3.0-beta1+ent', '= 1.3.0-beta1', true],
  ];
  it.each(cases)('%s version %s', (v, c, want) => {
    expect(versionMatches(v, c, 'version')).toBe(want);
  });
});

describe('semver constraints', () => {
  const cases: [string, string, boolean][] = [
    ['1.2.3', '~> 1.0', false],
    ['1.2.3', '>= 1.0, < 1.4', true],
    ['2.0.1', '~> 1.0', false],
    ['1.4', '>= 1.0, < 1.4', false],
    ['1', '~> 1.0', false],
    ['1.3.0-beta1', '>= 0.6.1', true],
    ['1.7.0-alpha1', '>= 1.6.0-beta1', true],
    ['1.7.0-beta', '>= 1.7.0', false],
    ['1.7.0', '>= 1.7.0-dev', true],
    ['1.7.0-beta.1', '>= 1.7.0-a', true],
    ['1.7.0-rc.1', '>= 1.7.0-dev', true],
    ['1.3.0-beta1+ent', '= 1.3.0-beta1', true],
  ];
  it.each(cases)('%s semver %s', (v, c, want) => {
    expect(checkConstraint(v, 'semver', c)).toBe(want);
  });
});
