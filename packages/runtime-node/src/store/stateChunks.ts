/**
 * A state snapshot as a sequence of JSON chunks instead of one string: at a million allocations
 * the whole state is over a gigabyte of JSON, past V8's longest string, and one chunk at a time
 * keeps the peak memory of a snapshot near one chunk. Works for any plain object whose large
 * parts are top-level arrays (a `SerializedState`).
 */

/** Rows per chunk: large enough to amortise the per-chunk cost, small enough to stay a few MB. */
export const ROWS_PER_CHUNK = 2000;

interface HeadChunk {
  readonly head: Record<string, unknown>;
  readonly arrays: readonly string[];
}

interface RowsChunk {
  readonly k: string;
  readonly r: unknown[];
}

/**
 * Encodes `data` as JSON chunks: first the object with its top-level arrays emptied, then the
 * arrays' rows, at most `rowsPerChunk` per chunk. Lazy, so a caller can write each chunk before
 * the next is built. Pure.
 */
export function* encodeChunks(data: object, rowsPerChunk = ROWS_PER_CHUNK): Generator<string> {
  const head: Record<string, unknown> = {};
  const arrays: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (Array.isArray(v)) {
      arrays.push(k);
      head[k] = [];
    } else head[k] = v;
  }
  yield JSON.stringify({ head, arrays } satisfies HeadChunk);
  for (const k of arrays) {
    const rows = (data as Record<string, unknown[]>)[k]!;
    for (let i = 0; i < rows.length; i += rowsPerChunk)
      yield JSON.stringify({ k, r: rows.slice(i, i + rowsPerChunk) } satisfies RowsChunk);
  }
}

/** Thrown for chunks that do not decode; the message says which chunk and why. */
export class ChunkError extends Error {}

/** Rebuilds the object from {@link encodeChunks}' output. Throws {@link ChunkError} on a bad chunk. */
export function decodeChunks<T>(chunks: Iterable<string>): T {
  let out: Record<string, unknown[] | unknown> | undefined;
  let allowed: Set<string> | undefined;
  let seq = 0;
  for (const text of chunks) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new ChunkError(`snapshot chunk ${seq}: not JSON (${(e as Error).message})`);
    }
    if (seq === 0) {
      const h = parsed as Partial<HeadChunk>;
      if (typeof h !== 'object' || h === null || typeof h.head !== 'object' || !Array.isArray(h.arrays))
        throw new ChunkError('snapshot chunk 0: expected {head, arrays}');
      out = { ...h.head };
      allowed = new Set(h.arrays);
      for (const k of allowed) out[k] = [];
    } else {
      const c = parsed as Partial<RowsChunk>;
      if (typeof c !== 'object' || c === null || typeof c.k !== 'string' || !Array.isArray(c.r))
        throw new ChunkError(`snapshot chunk ${seq}: expected {k, r}`);
      if (!allowed!.has(c.k))
        throw new ChunkError(`snapshot chunk ${seq}: unknown array ${JSON.stringify(c.k)}`);
      const target = out![c.k] as unknown[];
      for (const row of c.r) target.push(row);
    }
    seq++;
  }
  if (!out) throw new ChunkError('snapshot has no chunks');
  return out as T;
}
