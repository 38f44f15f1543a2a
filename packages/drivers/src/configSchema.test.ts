import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineConfigSchema, formatConfigErrors, validateConfig } from './configSchema.js';

const schema = defineConfigSchema({
  command: { type: 'string', required: true },
  args: { type: 'list', of: { type: 'string' }, default: [] },
  mode: { type: 'string', oneOf: ['private', 'host'] },
  port: { type: 'number', integer: true, min: 1, max: 65535 },
  debug: { type: 'bool', default: false },
  labels: { type: 'map', of: { type: 'string' } },
  auth: {
    type: 'block',
    fields: { username: { type: 'string', required: true }, password: { type: 'string' } },
  },
});

describe('validateConfig', () => {
  it('fills defaults and keeps valid values', () => {
    const r = validateConfig(schema, { command: '/bin/true', labels: { a: 'b' }, auth: [{ username: 'u' }] });
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual({
      command: '/bin/true',
      args: [],
      debug: false,
      labels: { a: 'b' },
      auth: { username: 'u' },
    });
  });

  it('reports every mistake with its path, what was expected and what was found', () => {
    const r = validateConfig(schema, {
      args: ['ok', 3, { x: 1 }],
      mode: 'shared',
      port: 1.5,
      debug: 'maybe',
      auth: { password: 'p' },
      colour: 'red',
    });
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e]));
    expect(Object.keys(byPath).sort()).toEqual([
      'config.args[2]',
      'config.auth.username',
      'config.colour',
      'config.command',
      'config.debug',
      'config.mode',
      'config.port',
    ]);
    expect(byPath['config.mode']).toMatchObject({
      expected: 'one of "private", "host"',
      actual: 'string "shared"',
    });
    expect(byPath['config.command']!.message).toBe('config.command: missing required field');
    expect(byPath['config.colour']!.message).toMatch(/unsupported argument; an argument named "colour"/);
    expect(formatConfigErrors(r.errors).split('\n')).toHaveLength(7);
  });

  it('accepts numbers where strings are expected (HCL authors write them unquoted), as strings', () => {
    expect(validateConfig(schema, { command: 42 }).value.command).toBe('42');
  });

  it('never throws and reports an error for any non-object input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const r = validateConfig(schema, input);
        const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
        if (!isObject && input !== undefined && input !== null) expect(r.errors.length).toBeGreaterThan(0);
      }),
    );
  });

  it('a config with every key valid has no errors', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.string()),
        fc.integer({ min: 1, max: 65535 }),
        (command, args, port) => {
          expect(validateConfig(schema, { command, args, port }).errors).toEqual([]);
        },
      ),
    );
  });
});
