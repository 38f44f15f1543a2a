/** Encoding functions: base64, urlencode, JSON, YAML and CSV. */

import yaml from 'js-yaml';
import { isDeferred, type HclObject, type HclValue } from '../values.js';
import { setOwn } from '../types/convert.js';
import { FunctionError, type HclFunction } from './types.js';
import { LimitExceeded, MAX_VALUE_DEPTH } from '../eval/budget.js';
import { fn, str } from './args.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Base64 of bytes, standard alphabet with padding. Pure. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/**
 * js-yaml's result as an HCL value. Aliases come back as shared references: converting each
 * once (the memo) keeps an alias bomb linear here, and the evaluator's size charge then refuses
 * the value it stands for.
 */
function fromYaml(v: unknown, memo: Map<object, HclValue>, depth: number): HclValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (typeof v === 'object') {
    const known = memo.get(v);
    if (known !== undefined) return known;
    if (depth >= MAX_VALUE_DEPTH) {
      throw new LimitExceeded(`a value is nested more than ${MAX_VALUE_DEPTH} levels deep`);
    }
    let out: HclValue;
    if (Array.isArray(v)) out = v.map((x) => fromYaml(x, memo, depth + 1));
    else {
      const o: HclObject = {};
      for (const [k, x] of Object.entries(v)) setOwn(o, k, fromYaml(x, memo, depth + 1));
      out = o;
    }
    memo.set(v, out);
    return out;
  }
  throw new FunctionError(`unsupported YAML value ${String(v)}`, 0);
}

function plain(v: HclValue): unknown {
  if (isDeferred(v)) return v.toTemplate();
  return v;
}

/**
 * YAML as go-cty-yaml writes it: block style, keys sorted, every string double-quoted,
 * sequences not indented under their key.
 */
function yamlLines(v: HclValue, indent: string): string[] {
  const scalar = (x: HclValue): string | undefined => {
    if (x === null) return 'null';
    if (isDeferred(x)) return JSON.stringify(x.toTemplate());
    if (typeof x === 'string') return JSON.stringify(x);
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    if (Array.isArray(x) && x.length === 0) return '[]';
    if (!Array.isArray(x) && Object.keys(x).length === 0) return '{}';
    return undefined;
  };
  const s = scalar(v);
  if (s !== undefined) return [indent + s];
  if (Array.isArray(v)) {
    return v.flatMap((item) => {
      const inner = yamlLines(item, indent + '  ');
      const first = (inner[0] ?? '').slice(indent.length + 2);
      return [indent + '- ' + first, ...inner.slice(1)];
    });
  }
  const o = v as HclObject;
  return Object.keys(o)
    .sort()
    .flatMap((k) => {
      const x = o[k] ?? null;
      const sx = scalar(x);
      if (sx !== undefined) return [`${indent}${JSON.stringify(k)}: ${sx}`];
      const child = Array.isArray(x) ? yamlLines(x, indent) : yamlLines(x, indent + '  ');
      return [`${indent}${JSON.stringify(k)}:`, ...child];
    });
}

/** Go's url.QueryEscape: unreserved bytes kept, space as `+`, the rest %XX. */
function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
    i++;
  }
  if (quoted) throw new FunctionError('extraneous or missing " in quoted-field', 0);
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Encoding functions keyed by name. */
export const encodingFunctions: Record<string, HclFunction> = {
  base64encode: fn(1, (a) => toBase64(new TextEncoder().encode(str(a, 0)))),
  base64decode: fn(1, (a) => {
    const s = str(a, 0);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
      throw new FunctionError('failed to decode base64 data', 0);
    }
    try {
      return utf8.decode(Buffer.from(s, 'base64'));
    } catch {
      throw new FunctionError('the result of decoding the provided string is not valid UTF-8', 0);
    }
  }),
  urlencode: fn(1, (a) => queryEscape(str(a, 0))),
  jsonencode: fn(1, (a) => JSON.stringify(plain(a[0] ?? null))),
  jsondecode: fn(1, (a) => {
    try {
      return JSON.parse(str(a, 0)) as HclValue;
    } catch (e) {
      throw new FunctionError(`invalid JSON: ${(e as Error).message}`, 0);
    }
  }),
  yamlencode: fn(1, (a) => yamlLines(a[0] ?? null, '').join('\n') + '\n'),
  yamldecode: fn(1, (a) => {
    try {
      return fromYaml(yaml.load(str(a, 0)), new Map(), 0);
    } catch (e) {
      if (e instanceof FunctionError || e instanceof LimitExceeded) throw e;
      throw new FunctionError(`invalid YAML: ${(e as Error).message.split('\n')[0] ?? ''}`, 0);
    }
  }),
  csvdecode: fn(1, (a) => {
    const rows = csvRows(str(a, 0));
    const [header, ...body] = rows;
    if (!header) throw new FunctionError('missing header line', 0);
    return body.map((r, i) => {
      if (r.length !== header.length) {
        throw new FunctionError(`record on line ${i + 2}: wrong number of fields`, 0);
      }
      const o: HclObject = {};
      header.forEach((h, j) => setOwn(o, h, r[j] ?? ''));
      return o;
    });
  }),
};
