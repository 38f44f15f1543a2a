/**
 * Reads SQLite's write-ahead log before the database is opened, to see whether its tail is torn.
 * SQLite itself ignores every frame after the last one whose cumulative checksum is good and that
 * ends a committed transaction, silently; this check lets the store say so (what it found, where)
 * instead. Frame layout and checksum from SQLite's file-format document, section 4.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/** What the WAL check found. */
export interface WalReport {
  /** WAL file size in bytes (0 when there is none). */
  readonly bytes: number;
  /** Frames of the current generation that end in a commit (SQLite will replay these). */
  readonly committedFrames: number;
  /**
   * Frames of the current generation after the last commit: torn (bad checksum, partial) or
   * never committed. SQLite discards them; they hold only writes that were never acknowledged.
   */
  readonly discardedFrames: number;
  /** Trailing bytes shorter than a frame (a write cut short), when the scan reached them. */
  readonly partialBytes: number;
  /** Byte offset where the valid WAL ends, when something after it was discarded. */
  readonly validThrough?: number | undefined;
  /** Why the scan stopped early, when it did (e.g. "frame 12: checksum mismatch"). */
  readonly problem?: string | undefined;
}

// SQLite's WAL checksum: pairs of 32-bit words summed Fibonacci-style, wrapping at 2^32.
function walChecksum(buf: Buffer, start: number, end: number, bigEndian: boolean, s: [number, number]): void {
  let s0 = s[0];
  let s1 = s[1];
  for (let i = start; i < end; i += 8) {
    const x0 = bigEndian ? buf.readUInt32BE(i) : buf.readUInt32LE(i);
    const x1 = bigEndian ? buf.readUInt32BE(i + 4) : buf.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  s[0] = s0;
  s[1] = s1;
}

/** Scans `walPath` (usually `<db>-wal`). Reads the file; changes nothing. */
export function checkWal(walPath: string): WalReport {
  if (!existsSync(walPath)) return { bytes: 0, committedFrames: 0, discardedFrames: 0, partialBytes: 0 };
  const fd = openSync(walPath, 'r');
  try {
    const size = fstatSync(fd).size;
    const empty = { bytes: size, committedFrames: 0, discardedFrames: 0, partialBytes: 0 };
    if (size < WAL_HEADER) {
      return size === 0
        ? empty
        : { ...empty, partialBytes: size, validThrough: 0, problem: 'WAL header cut short' };
    }
    const header = Buffer.alloc(WAL_HEADER);
    readSync(fd, header, 0, WAL_HEADER, 0);
    const magic = header.readUInt32BE(0);
    if (magic !== 0x377f0682 && magic !== 0x377f0683)
      return { ...empty, validThrough: 0, problem: 'WAL header has a bad magic number' };
    const bigEndian = (magic & 1) === 1;
    const pageSize = header.readUInt32BE(8);
    const salt1 = header.readUInt32BE(16);
    const salt2 = header.readUInt32BE(20);
    const sum: [number, number] = [0, 0];
    walChecksum(header, 0, 24, bigEndian, sum);
    if (sum[0] !== header.readUInt32BE(24) || sum[1] !== header.readUInt32BE(28))
      return { ...empty, validThrough: 0, problem: 'WAL header checksum mismatch' };

    const frameSize = FRAME_HEADER + pageSize;
    const frame = Buffer.alloc(frameSize);
    let offset = WAL_HEADER;
    let frames = 0;
    let committed = 0;
    let committedEnd = WAL_HEADER;
    let problem: string | undefined;
    let partial = 0;
    while (offset < size) {
      if (size - offset < frameSize) {
        partial = size - offset;
        problem = `frame ${frames + 1}: only ${partial} of ${frameSize} bytes written`;
        break;
      }
      readSync(fd, frame, 0, frameSize, offset);
      // A frame of an earlier generation (old salts) is leftover space, not part of this log.
      if (frame.readUInt32BE(8) !== salt1 || frame.readUInt32BE(12) !== salt2) break;
      walChecksum(frame, 0, 8, bigEndian, sum);
      walChecksum(frame, FRAME_HEADER, frameSize, bigEndian, sum);
      if (sum[0] !== frame.readUInt32BE(16) || sum[1] !== frame.readUInt32BE(20)) {
        problem = `frame ${frames + 1} at byte ${offset}: checksum mismatch`;
        frames++;
        offset += frameSize;
        // Frames after a bad one cannot be reached either; count this generation's ones.
        while (offset + frameSize <= size) {
          readSync(fd, frame, 0, FRAME_HEADER, offset);
          if (frame.readUInt32BE(8) !== salt1 || frame.readUInt32BE(12) !== salt2) break;
          frames++;
          offset += frameSize;
        }
        break;
      }
      frames++;
      offset += frameSize;
      if (frame.readUInt32BE(4) !== 0) {
        committed = frames;
        committedEnd = offset;
      }
    }
    const discarded = frames - committed;
    if (discarded === 0 && partial === 0 && problem === undefined)
      return { bytes: size, committedFrames: committed, discardedFrames: 0, partialBytes: 0 };
    return {
      bytes: size,
      committedFrames: committed,
      discardedFrames: discarded,
      partialBytes: partial,
      validThrough: committedEnd,
      problem: problem ?? `${discarded} frame(s) after the last commit`,
    };
  } finally {
    closeSync(fd);
  }
}
