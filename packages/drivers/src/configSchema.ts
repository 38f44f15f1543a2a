/**
 * A small declarative schema for driver `config` blocks (the role Nomad's hclspec plays):
 * fields with types, defaults, required flags and allowed values. Validation returns the typed
 * value plus every error with a JSON-style path, never throws on user input.
 */

/** One user mistake in a config block: where, what was expected, what was found. */
export interface ConfigError {
  /** Path such as `config.args[1]` or `config.port_map.http`. */
  path: string;
  expected: string;
  actual: string;
  message: string;
}

interface FieldBase {
  /** One line for the docs. */
  doc?: string;
}
/** A string field, optionally limited to `oneOf`. */
export interface StringField extends FieldBase {
  type: 'string';
  required?: boolean;
  default?: string;
  oneOf?: readonly string[];
}
/** A number field; `integer` refuses fractions, `min`/`max` bound it. */
export interface NumberField extends FieldBase {
  type: 'number';
  required?: boolean;
  default?: number;
  integer?: boolean;
  min?: number;
  max?: number;
}
/** A boolean field. */
export interface BoolField extends FieldBase {
  type: 'bool';
  required?: boolean;
  default?: boolean;
}
/** A list of values of one kind (`args = ["a", "b"]`). */
export interface ListField extends FieldBase {
  type: 'list';
  of: FieldSpec;
  required?: boolean;
  default?: readonly unknown[];
}
/** A map with free keys and values of one kind (`labels = { a = "b" }`). */
export interface MapField extends FieldBase {
  type: 'map';
  of: FieldSpec;
  required?: boolean;
  default?: Readonly<Record<string, unknown>>;
}
/** A nested block with known fields (`auth { username = "..." }`). */
export interface BlockField extends FieldBase {
  type: 'block';
  fields: Record<string, FieldSpec>;
  required?: boolean;
}
/** Anything; the driver checks it itself. */
export interface AnyField extends FieldBase {
  type: 'any';
  required?: boolean;
}

/** One field of a config schema. */
export type FieldSpec = StringField | NumberField | BoolField | ListField | MapField | BlockField | AnyField;

/** A config schema: the fields of a `config { ... }` block. */
export type ConfigSchema = Record<string, FieldSpec>;

/** The TypeScript type a field decodes to. */
export type FieldValue<F extends FieldSpec> = F extends StringField
  ? F['oneOf'] extends readonly (infer S)[]
    ? S
    : string
  : F extends NumberField
    ? number
    : F extends BoolField
      ? boolean
      : F extends ListField
        ? FieldValue<F['of']>[]
        : F extends MapField
          ? Record<string, FieldValue<F['of']>>
          : F extends BlockField
            ? ConfigValue<F['fields']>
            : unknown;

type Present<F> = F extends { required: true } ? true : F extends { default: unknown } ? true : false;

/** The TypeScript type a schema decodes to: required or defaulted fields are always present. */
export type ConfigValue<S extends ConfigSchema> = {
  [K in keyof S as Present<S[K]> extends true ? K : never]: FieldValue<S[K]>;
} & {
  [K in keyof S as Present<S[K]> extends true ? never : K]?: FieldValue<S[K]>;
};

/** Result of {@link validateConfig}: the decoded value (defaults filled) and every error. */
export interface ConfigResult<T> {
  value: T;
  errors: ConfigError[];
}

/**
 * Declare a schema with its literal types kept, so {@link validateConfig} can infer the value type.
 * Pure.
 */
export function defineConfigSchema<const S extends ConfigSchema>(schema: S): S {
  return schema;
}

/**
 * Check a decoded `config` map against a schema: unknown keys, missing required fields, wrong
 * types, values outside `oneOf`/bounds. Fills defaults. Pure.
 *
 * @example
 * const s = defineConfigSchema({ command: { type: 'string', required: true } });
 * validateConfig(s, { command: 1 }, 'config').errors[0]?.message
 * // 'config.command: expected a string, got number 1'
 */
export function validateConfig<S extends ConfigSchema>(
  schema: S,
  input: unknown,
  path = 'config',
): ConfigResult<ConfigValue<S>> {
  const errors: ConfigError[] = [];
  const value = checkBlock(schema, input ?? {}, path, errors);
  return { value: value as ConfigValue<S>, errors };
}

/** Render errors one per line, for logs and CLI output. Pure. */
export function formatConfigErrors(errors: readonly ConfigError[]): string {
  return errors.map((e) => e.message).join('\n');
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `list of ${v.length}`;
  if (typeof v === 'object') return 'object';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

function fail(errors: ConfigError[], path: string, expected: string, actual: string, message?: string): void {
  errors.push({ path, expected, actual, message: message ?? `${path}: expected ${expected}, got ${actual}` });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// HCL decoders often hand blocks over as a one-element list of objects; accept both shapes.
function unwrapBlock(v: unknown): unknown {
  if (Array.isArray(v) && v.length === 1 && isPlainObject(v[0])) return v[0];
  return v;
}

function checkBlock(
  fields: Record<string, FieldSpec>,
  input: unknown,
  path: string,
  errors: ConfigError[],
): Record<string, unknown> {
  const obj = unwrapBlock(input);
  if (!isPlainObject(obj)) {
    fail(errors, path, 'a block (object)', describe(obj));
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort()) {
    if (!Object.hasOwn(fields, key)) {
      const known = Object.keys(fields).sort().join(', ');
      fail(
        errors,
        `${path}.${key}`,
        `one of: ${known}`,
        'an unknown field',
        `${path}.${key}: unsupported argument; an argument named "${key}" is not expected here (known: ${known})`,
      );
    }
  }
  for (const [key, spec] of Object.entries(fields)) {
    const p = `${path}.${key}`;
    const raw = obj[key];
    if (raw === undefined || raw === null) {
      if ('default' in spec && spec.default !== undefined) out[key] = structuredClone(spec.default);
      else if (spec.required) fail(errors, p, expectedOf(spec), 'nothing', `${p}: missing required field`);
      continue;
    }
    const v = checkField(spec, raw, p, errors);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function expectedOf(spec: FieldSpec): string {
  switch (spec.type) {
    case 'string':
      return spec.oneOf ? `one of ${spec.oneOf.map((s) => JSON.stringify(s)).join(', ')}` : 'a string';
    case 'number':
      return spec.integer ? 'an integer' : 'a number';
    case 'bool':
      return 'a bool';
    case 'list':
      return `a list of ${expectedOf(spec.of).replace(/^an? /, '')}s`;
    case 'map':
      return `a map of ${expectedOf(spec.of).replace(/^an? /, '')}s`;
    case 'block':
      return 'a block';
    case 'any':
      return 'a value';
  }
}

function checkField(spec: FieldSpec, raw: unknown, path: string, errors: ConfigError[]): unknown {
  switch (spec.type) {
    case 'string':
      // Numbers and bools are accepted where HCL authors often write them unquoted.
      if (typeof raw === 'number' || typeof raw === 'boolean') raw = String(raw);
      if (typeof raw !== 'string') return fail(errors, path, expectedOf(spec), describe(raw));
      if (spec.oneOf && !spec.oneOf.includes(raw)) return fail(errors, path, expectedOf(spec), describe(raw));
      return raw;
    case 'number': {
      let n = raw;
      if (typeof n === 'string' && n.trim() !== '' && Number.isFinite(Number(n))) n = Number(n);
      if (typeof n !== 'number' || !Number.isFinite(n))
        return fail(errors, path, expectedOf(spec), describe(raw));
      if (spec.integer && !Number.isInteger(n)) return fail(errors, path, 'an integer', describe(raw));
      if (spec.min !== undefined && n < spec.min)
        return fail(errors, path, `a number >= ${spec.min}`, describe(raw));
      if (spec.max !== undefined && n > spec.max)
        return fail(errors, path, `a number <= ${spec.max}`, describe(raw));
      return n;
    }
    case 'bool':
      if (raw === 'true' || raw === 'false') return raw === 'true';
      if (typeof raw !== 'boolean') return fail(errors, path, 'a bool', describe(raw));
      return raw;
    case 'list': {
      if (!Array.isArray(raw)) return fail(errors, path, expectedOf(spec), describe(raw));
      return raw.map((item, i) => checkField(spec.of, item, `${path}[${i}]`, errors));
    }
    case 'map': {
      const obj = unwrapBlock(raw);
      if (!isPlainObject(obj)) return fail(errors, path, expectedOf(spec), describe(raw));
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(obj)) out[k] = checkField(spec.of, v, `${path}.${k}`, errors);
      return out;
    }
    case 'block':
      return checkBlock(spec.fields, raw, path, errors);
    case 'any':
      return raw;
  }
}
