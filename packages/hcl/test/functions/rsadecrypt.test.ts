import { constants, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { packArgs } from '../../src/functions/args.js';
import { rsaDecrypt } from '../../src/functions/crypto.js';
import { jobspecFunctions } from '../../src/functions/library.js';
import { FunctionError, type FunctionContext } from '../../src/functions/types.js';
import type { HclValue } from '../../src/values.js';

const ctx: FunctionContext = { now: () => 0, randomBytes: (n) => new Uint8Array(n) };

function call(...args: HclValue[]): HclValue {
  const f = jobspecFunctions()['rsadecrypt'];
  if (!f) throw new Error('rsadecrypt missing from the library');
  return f.call(packArgs(f, args), ctx);
}

function functionError(f: () => unknown): FunctionError {
  try {
    f();
  } catch (e) {
    if (e instanceof FunctionError) return e;
    throw new Error(`expected a FunctionError, got ${String(e)}`);
  }
  throw new Error('expected a FunctionError, got a result');
}

const pair = (modulusLength: number) =>
  generateKeyPairSync('rsa', {
    modulusLength,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
const { publicKey, privateKey } = pair(1024);
const other = pair(1024);

function encrypt(msg: string | Buffer, key = publicKey): string {
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(msg)).toString('base64');
}

/** Raw RSA of a hand-built encoded block, to test the padding checks. */
function rawEncrypt(block: Buffer): string {
  return publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, block).toString('base64');
}

describe('rsadecrypt', () => {
  it('decrypts PKCS#1 v1.5 ciphertext with a PKCS#1 or PKCS#8 PEM key', () => {
    expect(call(encrypt('Hello, world!'), privateKey)).toBe('Hello, world!');
    expect(call(encrypt(''), privateKey)).toBe('');
    expect(call(encrypt('grüße ✓'), privateKey)).toBe('grüße ✓');
    const p8 = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const long = 'x'.repeat(245); // the most a 2048-bit key carries with this padding
    expect(call(encrypt(long, p8.publicKey), p8.privateKey)).toBe(long);
  });

  it('accepts base64 broken over lines, as Go does', () => {
    const b64 = encrypt('wrapped');
    expect(rsaDecrypt(b64.replace(/(.{64})/g, '$1\n'), privateKey)).toBe('wrapped');
  });

  it('reports input that is not base64 on the first argument', () => {
    const e = functionError(() => call('not base64!', privateKey));
    expect(e.message).toBe('failed to decode input "not base64!": cipher text must be base64-encoded');
    expect(e.argIndex).toBe(0);
  });

  it('reports a key that is not a PEM RSA private key on the second argument', () => {
    const garbage = functionError(() => call(encrypt('x'), 'not a key'));
    expect(garbage.message).toMatch(/^invalid private key: /);
    expect(garbage.argIndex).toBe(1);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    expect(functionError(() => call(encrypt('x'), ec)).message).toBe(
      'invalid private key: an RSA key is required, got ec',
    );
  });

  it('fails to decrypt with the wrong key or garbage ciphertext, as a function error', () => {
    const msg = 'failed to decrypt: crypto/rsa: decryption error';
    expect(functionError(() => call(encrypt('secret'), other.privateKey)).message).toBe(msg);
    expect(functionError(() => call('AAAA', privateKey)).message).toBe(msg);
    expect(functionError(() => call('', privateKey)).message).toBe(msg);
    // A block of the right size but numerically above the modulus.
    expect(functionError(() => call(Buffer.alloc(128, 0xff).toString('base64'), privateKey)).message).toBe(
      msg,
    );
  });

  it('rejects malformed type-2 padding', () => {
    const msg = 'failed to decrypt: crypto/rsa: decryption error';
    const block = (head: number[], fill: number, sepAt: number | undefined): Buffer => {
      const b = Buffer.alloc(128, fill);
      b.set(head, 0);
      if (sepAt !== undefined) b[sepAt] = 0;
      return b;
    };
    // Well-formed: 00 02, padding bytes, 00, message "A…".
    expect(rsaDecrypt(rawEncrypt(block([0, 2], 0x41, 20)), privateKey)).toBe('A'.repeat(107));
    // Block type 1 (signature padding), not 2.
    expect(() => rsaDecrypt(rawEncrypt(block([0, 1], 0x41, 20)), privateKey)).toThrow(msg);
    // No zero separator at all.
    expect(() => rsaDecrypt(rawEncrypt(block([0, 2], 0x41, undefined)), privateKey)).toThrow(msg);
    // Fewer than eight padding bytes before the separator.
    expect(() => rsaDecrypt(rawEncrypt(block([0, 2], 0x41, 9)), privateKey)).toThrow(msg);
    expect(rsaDecrypt(rawEncrypt(block([0, 2], 0x41, 10)), privateKey)).toBe('A'.repeat(117));
  });
});
