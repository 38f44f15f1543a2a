/**
 * Checksums of what the store writes: CRC-32 (zlib's, hardware-assisted) over an entry's index
 * and bytes, so a row copied to the wrong index fails as surely as a flipped bit.
 */
import { crc32 } from 'node:zlib';

const indexBytes = Buffer.alloc(8);

/** CRC-32 of a log entry: its index (8 bytes, big-endian) then its command bytes. Pure. */
export function entryChecksum(index: number, bytes: Uint8Array): number {
  indexBytes.writeBigUInt64BE(BigInt(index));
  return crc32(bytes, crc32(indexBytes));
}

/** CRC-32 of a snapshot chunk: its snapshot index and position, then its bytes. Pure. */
export function chunkChecksum(snapshotIndex: number, seq: number, bytes: Uint8Array): number {
  indexBytes.writeBigUInt64BE(BigInt(snapshotIndex));
  const head = crc32(indexBytes);
  indexBytes.writeBigUInt64BE(BigInt(seq));
  return crc32(bytes, crc32(indexBytes, head));
}
