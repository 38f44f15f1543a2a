/** Hashing, identifier and decryption functions: bcrypt, rsadecrypt, sha256, sha512, uuidv4, uuidv5. */

import { constants, createHash, createPrivateKey, privateDecrypt, type KeyObject } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { FunctionError, type HclFunction } from './types.js';
import { fn, int, str, variadic } from './args.js';

const NAMESPACES: Record<string, string> = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
};

function uuidString(b: Uint8Array): string {
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** RFC 4122 version-5 UUID of `name` in `namespace` (a UUID or dns/url/oid/x500). Pure. */
export function uuidV5(namespace: string, name: string): string {
  const ns = NAMESPACES[namespace] ?? namespace;
  if (!/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(ns)) {
    throw new FunctionError(`uuidv5() doesn't support namespace ${namespace}`, 0);
  }
  const hash = createHash('sha1')
    .update(Buffer.from(ns.replace(/-/g, ''), 'hex'))
    .update(name)
    .digest();
  const b = new Uint8Array(hash.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  return uuidString(b);
}

/**
 * RSA PKCS#1 v1.5 decryption of base64 `ciphertext` with a PEM private key (PKCS#1 or PKCS#8),
 * as cty's rsadecrypt does. Pure. Node 20 refuses PKCS#1 v1.5 padding for private decryption
 * (CVE-2023-46809), so the raw RSA operation runs unpadded and the type-2 padding
 * (00 02 nonzero-bytes 00 message) is checked here.
 * @example rsaDecrypt(base64Ciphertext, pem) // 'secret'
 */
export function rsaDecrypt(input: string, pem: string): string {
  // Go's base64 decoder skips line breaks.
  const ciphertext = input.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(ciphertext) || ciphertext.length % 4 !== 0) {
    throw new FunctionError(
      `failed to decode input ${JSON.stringify(input)}: cipher text must be base64-encoded`,
      0,
    );
  }
  const ct = Buffer.from(ciphertext, 'base64');
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (e) {
    throw new FunctionError(`invalid private key: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new FunctionError(
      `invalid private key: an RSA key is required, got ${key.asymmetricKeyType ?? 'none'}`,
      1,
    );
  }
  const k = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  // Same single error for every failure, as Go's crypto/rsa does (no padding oracle detail).
  const bad = (): FunctionError => new FunctionError('failed to decrypt: crypto/rsa: decryption error');
  if (ct.length !== k || k < 11) throw bad();
  let em: Buffer;
  try {
    em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ct);
  } catch {
    throw bad();
  }
  if (em.length !== k || em[0] !== 0x00 || em[1] !== 0x02) throw bad();
  const sep = em.indexOf(0x00, 2);
  // At least eight bytes of nonzero padding (RFC 8017 §7.2.2).
  if (sep < 10) throw bad();
  return em.subarray(sep + 1).toString('utf8');
}

/** Highest bcrypt cost a jobspec may ask for (Go's default is 10; bcryptjs takes ~0.5 s at 12). */
export const MAX_BCRYPT_COST = 12;

/** Crypto functions keyed by name. */
export const cryptoFunctions: Record<string, HclFunction> = {
  sha256: fn(1, (a) => createHash('sha256').update(str(a, 0)).digest('hex')),
  sha512: fn(1, (a) => createHash('sha512').update(str(a, 0)).digest('hex')),
  bcrypt: variadic(2, (a, ctx) => {
    const cost = a.length > 1 ? int(a, 1) : 10;
    if (a.length > 2) throw new FunctionError('bcrypt() takes no more than two arguments');
    if (cost < 4 || cost > 31)
      throw new FunctionError(`crypto/bcrypt: cost ${cost} is outside allowed range (4,31)`, 1);
    // Go allows up to 31 (days of work); a jobspec gets at most MAX_BCRYPT_COST (under a second).
    if (cost > MAX_BCRYPT_COST) {
      throw new FunctionError(
        `cost ${cost} is above tsnomad's limit of ${MAX_BCRYPT_COST} for bcrypt in a jobspec`,
        1,
      );
    }
    // Each cost step doubles the work: bcryptjs takes about 2^cost × 0.12 µs; charged with a
    // margin (bcrypt(x) at cost 10 is a fifth of the file's budget).
    ctx.charge?.(2 ** cost * 192);
    // The salt comes from the injected random source, so a seeded context gives stable hashes.
    const seeded = seededSalt(cost, ctx.randomBytes(16)) ?? bcrypt.genSaltSync(cost);
    // Go's bcrypt writes the $2a$ prefix.
    return bcrypt.hashSync(str(a, 0), seeded).replace(/^\$2b\$/, '$2a$');
  }),
  uuidv4: fn(0, (_a, ctx) => {
    const b = new Uint8Array(ctx.randomBytes(16));
    b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
    b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
    return uuidString(b);
  }),
  uuidv5: fn(2, (a) => uuidV5(str(a, 0), str(a, 1))),
  rsadecrypt: fn(2, (a) => rsaDecrypt(str(a, 0), str(a, 1))),
};

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A bcrypt salt string built from 16 given bytes (bcrypt's own base64). */
function seededSalt(cost: number, bytes: Uint8Array): string | undefined {
  if (bytes.length < 16) return undefined;
  let out = '';
  let i = 0;
  while (i < 16) {
    const c1 = bytes[i++] ?? 0;
    out += BCRYPT_ALPHABET[c1 >> 2];
    let c = (c1 & 0x03) << 4;
    if (i >= 16) {
      out += BCRYPT_ALPHABET[c];
      break;
    }
    const c2 = bytes[i++] ?? 0;
    out += BCRYPT_ALPHABET[c | (c2 >> 4)];
    c = (c2 & 0x0f) << 2;
    const c3 = bytes[i++] ?? 0;
    out += BCRYPT_ALPHABET[c | (c3 >> 6)];
    out += BCRYPT_ALPHABET[c3 & 0x3f];
  }
  return `$2b$${String(cost).padStart(2, '0')}$${out.slice(0, 22)}`;
}
