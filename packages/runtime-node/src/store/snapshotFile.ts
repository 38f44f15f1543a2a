/**
 * The file `tsnomad operator snapshot save` writes and `restore` reads (GET / PUT
 * `/v1/operator/snapshot`): a magic line, a one-line JSON header (format version, index,
 * payload size and SHA-256), then the payload: the state as newline-separated JSON chunks,
 * gzipped. Restore verifies all of it before anything is replaced.
 *
 *     TSNOMAD-SNAPSHOT\n
 *     {"Version":1,"Index":1234,"Created":"…","StateFormat":"tsnomad-state/1","Encoding":"gzip+ndjson","Size":N,"SHA256":"…"}\n
 *     <N bytes: gzip(chunk\nchunk\n…)>
 */
import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import type { Command, Consensus } from '@tsnomad/core';
import type { SerializedState } from '@tsnomad/core/state';
import { ChunkError, decodeChunks, encodeChunks } from './stateChunks.js';

/** First line of every snapshot file. */
export const SNAPSHOT_MAGIC = 'TSNOMAD-SNAPSHOT\n';
/** The header version this build writes and reads. */
export const SNAPSHOT_VERSION = 1;
const MAX_HEADER = 4096;
/** Default bound on the decompressed state (hostile or runaway files). */
export const DEFAULT_MAX_STATE_BYTES = 16 * 2 ** 30;

/** The header line's fields. */
export interface SnapshotHeader {
  readonly Version: number;
  readonly Index: number;
  readonly Created: string;
  readonly StateFormat: string;
  readonly Encoding: string;
  readonly Size: number;
  readonly SHA256: string;
}

/** A decoded snapshot, or why the file was refused. */
export type SnapshotFileResult =
  | {
      readonly ok: true;
      readonly header: SnapshotHeader;
      readonly index: number;
      readonly data: SerializedState;
    }
  | { readonly ok: false; readonly error: string };

/**
 * Encodes a state snapshot as a snapshot file. Builds the compressed payload chunk by chunk, so
 * no single string holds the whole state.
 * @example
 * writeFileSync('backup.snap', await encodeSnapshotFile(consensus.snapshot()));
 */
export async function encodeSnapshotFile(
  snap: { readonly index: number; readonly data: SerializedState },
  created = new Date(),
): Promise<Buffer> {
  const gzip = createGzip({ level: 6 });
  const parts: Buffer[] = [];
  gzip.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  for (const chunk of encodeChunks(snap.data)) {
    if (!gzip.write(chunk + '\n')) await new Promise((r) => gzip.once('drain', r));
  }
  gzip.end();
  await done;
  const payload = Buffer.concat(parts);
  const header: SnapshotHeader = {
    Version: SNAPSHOT_VERSION,
    Index: snap.index,
    Created: created.toISOString(),
    StateFormat: snap.data.format,
    Encoding: 'gzip+ndjson',
    Size: payload.length,
    SHA256: createHash('sha256').update(payload).digest('hex'),
  };
  return Buffer.concat([Buffer.from(SNAPSHOT_MAGIC), Buffer.from(JSON.stringify(header) + '\n'), payload]);
}

const fail = (error: string): SnapshotFileResult => ({ ok: false, error: `snapshot file: ${error}` });

/** Reads the header; the payload starts at `payloadAt`. */
function readHeader(bytes: Buffer): { header: SnapshotHeader; payloadAt: number } | string {
  if (
    bytes.length < SNAPSHOT_MAGIC.length ||
    bytes.toString('latin1', 0, SNAPSHOT_MAGIC.length) !== SNAPSHOT_MAGIC
  )
    return `not a tsnomad snapshot (expected the first line "TSNOMAD-SNAPSHOT" at byte 0)`;
  const nl = bytes.indexOf(0x0a, SNAPSHOT_MAGIC.length);
  if (nl < 0 || nl - SNAPSHOT_MAGIC.length > MAX_HEADER)
    return `header (line 2) missing or longer than ${MAX_HEADER} bytes`;
  let h: Partial<SnapshotHeader>;
  try {
    h = JSON.parse(bytes.toString('utf8', SNAPSHOT_MAGIC.length, nl)) as Partial<SnapshotHeader>;
  } catch (e) {
    return `header (line 2) is not JSON: ${(e as Error).message}`;
  }
  if (typeof h !== 'object' || h === null) return 'header (line 2): expected a JSON object';
  if (h.Version !== SNAPSHOT_VERSION)
    return `unsupported version ${JSON.stringify(h.Version)} at header.Version (this build reads version ${SNAPSHOT_VERSION})`;
  const want: [keyof SnapshotHeader, string][] = [
    ['Index', 'number'],
    ['Created', 'string'],
    ['StateFormat', 'string'],
    ['Encoding', 'string'],
    ['Size', 'number'],
    ['SHA256', 'string'],
  ];
  for (const [k, t] of want)
    if (typeof h[k] !== t) return `header.${k}: expected a ${t}, got ${JSON.stringify(h[k]) ?? 'nothing'}`;
  if (!Number.isSafeInteger(h.Index) || h.Index! < 0) return `header.Index: expected a non-negative integer`;
  if (h.Encoding !== 'gzip+ndjson')
    return `header.Encoding: expected "gzip+ndjson", got ${JSON.stringify(h.Encoding)}`;
  if (h.StateFormat !== 'tsnomad-state/1')
    return `header.StateFormat: expected "tsnomad-state/1", got ${JSON.stringify(h.StateFormat)}`;
  return { header: h as SnapshotHeader, payloadAt: nl + 1 };
}

/**
 * Decodes and verifies a snapshot file: magic, header version and fields, payload size and
 * SHA-256, decompression (bounded by `maxStateBytes`), chunks. Errors are values that say
 * where and what was expected.
 */
export async function decodeSnapshotFile(
  bytes: Buffer,
  maxStateBytes = DEFAULT_MAX_STATE_BYTES,
): Promise<SnapshotFileResult> {
  const h = readHeader(bytes);
  if (typeof h === 'string') return fail(h);
  const { header, payloadAt } = h;
  const payload = bytes.subarray(payloadAt);
  if (payload.length !== header.Size)
    return fail(
      `payload is ${payload.length} bytes, header.Size says ${header.Size} (truncated or padded file)`,
    );
  const sum = createHash('sha256').update(payload).digest('hex');
  if (sum !== header.SHA256)
    return fail(`checksum mismatch: payload SHA-256 ${sum}, header.SHA256 ${header.SHA256}`);

  const lines: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const gunzip = createGunzip();
      let total = 0;
      // Pieces of the current line; joined once its newline arrives (no quadratic re-scan).
      let pieces: string[] = [];
      // A decoder, not toString: a multi-byte character may straddle two buffers.
      const utf8 = new StringDecoder('utf8');
      gunzip.on('data', (b: Buffer) => {
        total += b.length;
        if (total > maxStateBytes) {
          gunzip.destroy(new Error(`state larger than ${maxStateBytes} bytes`));
          return;
        }
        const text = utf8.write(b);
        let from = 0;
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
          pieces.push(text.slice(from, nl));
          lines.push(pieces.join(''));
          pieces = [];
          from = nl + 1;
        }
        if (from < text.length) pieces.push(text.slice(from));
      });
      gunzip.on('end', () => {
        pieces.push(utf8.end());
        const last = pieces.join('');
        if (last !== '') lines.push(last);
        resolve();
      });
      gunzip.on('error', reject);
      gunzip.end(payload);
    });
  } catch (e) {
    return fail(`payload does not decompress: ${(e as Error).message}`);
  }
  let data: SerializedState;
  try {
    data = decodeChunks<SerializedState>(lines);
  } catch (e) {
    if (e instanceof ChunkError) return fail(e.message);
    throw e;
  }
  if (data.format !== header.StateFormat)
    return fail(`state format ${JSON.stringify(data.format)} differs from header.StateFormat`);
  return { ok: true, header, index: header.Index, data };
}

/**
 * `GET /v1/operator/snapshot`: the current state as a snapshot file.
 * @example
 * const { bytes, index } = await saveSnapshot(consensus); // reply.header('X-Nomad-Index', index)
 */
export async function saveSnapshot(
  consensus: Consensus<Command, SerializedState>,
): Promise<{ readonly bytes: Buffer; readonly index: number }> {
  await consensus.barrier();
  const snap = consensus.snapshot();
  return { bytes: await encodeSnapshotFile(snap), index: snap.index };
}

/**
 * `PUT /v1/operator/snapshot`: verifies the whole file, then replaces the state through the
 * consensus (durably, with the durable consensus). A refused file changes nothing.
 */
export async function restoreSnapshot(
  consensus: Consensus<Command, SerializedState>,
  bytes: Buffer,
  maxStateBytes = DEFAULT_MAX_STATE_BYTES,
): Promise<{ readonly ok: true; readonly index: number } | { readonly ok: false; readonly error: string }> {
  const r = await decodeSnapshotFile(bytes, maxStateBytes);
  if (!r.ok) return r;
  await consensus.barrier();
  try {
    consensus.restore({ index: r.index, data: r.data });
  } catch (e) {
    return { ok: false, error: `snapshot file: the state in it does not restore: ${(e as Error).message}` };
  }
  return { ok: true, index: r.index };
}
