/**
 * File-system functions (abspath, basename, dirname, file, filebase64, fileexists, fileset,
 * pathexpand). They work only through `FunctionContext.fs`, which the caller provides when it
 * allows file access; otherwise each refuses, as jobspec2 does without `AllowFS`.
 */

import path from 'node:path';
import { FunctionError, type FunctionContext, type HclFunction } from './types.js';
import { fn, str } from './args.js';
import { toBase64 } from './encoding.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function fsOf(ctx: FunctionContext): NonNullable<FunctionContext['fs']> {
  if (!ctx.fs) throw new FunctionError('filesystem functions disabled');
  return ctx.fs;
}

function resolve(ctx: FunctionContext, p: string): string {
  return path.resolve(fsOf(ctx).baseDir, expandHome(p));
}

function expandHome(p: string): string {
  if (p !== '~' && !p.startsWith('~/')) return p;
  const home = process.env['HOME'] ?? '';
  return home + p.slice(1);
}

function read(ctx: FunctionContext, p: string): Uint8Array {
  try {
    return fsOf(ctx).readFile(resolve(ctx, p));
  } catch (e) {
    if (e instanceof FunctionError) throw e;
    throw new FunctionError(
      `no file exists at ${p}; this function works only with files that are distributed as part of the configuration source code`,
      0,
    );
  }
}

/** File-system functions keyed by name; each refuses unless `ctx.fs` is set. */
export const filesystemFunctions: Record<string, HclFunction> = {
  abspath: fn(1, (a, ctx) => (fsOf(ctx), path.resolve(str(a, 0)))),
  basename: fn(1, (a, ctx) => (fsOf(ctx), path.basename(str(a, 0)))),
  dirname: fn(1, (a, ctx) => (fsOf(ctx), path.dirname(str(a, 0)))),
  pathexpand: fn(1, (a, ctx) => (fsOf(ctx), expandHome(str(a, 0)))),
  file: fn(1, (a, ctx) => {
    const bytes = read(ctx, str(a, 0));
    try {
      return utf8.decode(bytes);
    } catch {
      throw new FunctionError(
        `contents of ${str(a, 0)} are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead`,
        0,
      );
    }
  }),
  filebase64: fn(1, (a, ctx) => toBase64(read(ctx, str(a, 0)))),
  fileexists: fn(1, (a, ctx) => fsOf(ctx).exists(resolve(ctx, str(a, 0)))),
  fileset: fn(2, (a, ctx) => {
    const dir = resolve(ctx, str(a, 0));
    return fsOf(ctx)
      .glob(dir, str(a, 1))
      .map((p) => path.relative(dir, path.resolve(dir, p)).split(path.sep).join('/'))
      .sort();
  }),
};
