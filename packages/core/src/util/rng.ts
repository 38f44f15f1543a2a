/**
 * A small, fast, seeded PRNG (xoshiro128**) for deterministic scheduling: the same seed gives
 * the same node order, the same tie-breaks and the same IDs, so any plan can be replayed.
 */

/** A seeded random source. Mutable: each call advances the state. */
export interface Rng {
  /** A uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** A uniform float in [0, 1). */
  nextFloat(): number;
  /** A uniform integer in [0, n); n must be a positive integer below 2^32. */
  nextInt(n: number): number;
  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T>(array: T[]): T[];
}

/** A 128-bit seed as four unsigned 32-bit words. */
export type Seed = readonly [number, number, number, number];

/**
 * Hashes a string into a 128-bit seed (cyrb128), e.g. `seedFromString(evalId + ':' + index)`.
 * Pure.
 */
export function seedFromString(s: string): Seed {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < s.length; i++) {
    const k = s.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** Expands a 32-bit number into a 128-bit seed (splitmix32). Pure. */
function seedFromNumber(n: number): Seed {
  let x = n >>> 0;
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    out.push((z ^ (z >>> 16)) >>> 0);
  }
  return [out[0] ?? 0, out[1] ?? 0, out[2] ?? 0, out[3] ?? 0];
}

/**
 * Creates a xoshiro128** generator from a number, a string (hashed) or a 128-bit seed.
 * Effects: none until called; the returned object holds mutable state.
 * @example
 *   const rng = createRng(`${evaluation.id}:${snapshotIndex}`);
 *   rng.shuffle(nodes);
 */
export function createRng(seed: number | string | Seed): Rng {
  const s =
    typeof seed === 'number' ? seedFromNumber(seed) : typeof seed === 'string' ? seedFromString(seed) : seed;
  let a = s[0] >>> 0;
  let b = s[1] >>> 0;
  let c = s[2] >>> 0;
  let d = s[3] >>> 0;
  // An all-zero state would only ever produce zeros.
  if ((a | b | c | d) === 0) a = 0x9e3779b9;
  const nextUint32 = (): number => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  };
  const nextInt = (n: number): number => {
    if (!(n > 0 && n <= 0x100000000 && Number.isInteger(n))) throw new RangeError(`nextInt: bad bound ${n}`);
    // Rejection sampling removes modulo bias.
    const limit = 0x100000000 - (0x100000000 % n);
    let x = nextUint32();
    while (x >= limit) x = nextUint32();
    return x % n;
  };
  return {
    nextUint32,
    nextFloat: () => nextUint32() / 0x100000000,
    nextInt,
    shuffle<T>(array: T[]): T[] {
      for (let i = array.length - 1; i > 0; i--) {
        const j = nextInt(i + 1);
        const tmp = array[i] as T;
        array[i] = array[j] as T;
        array[j] = tmp;
      }
      return array;
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const UUID_CODES = new Uint16Array(36);

/**
 * An RFC 4122 version-4-shaped UUID drawn from `rng` (lower-case, 8-4-4-4-12).
 * Effects: advances `rng`.
 */
export function uuid(rng: Rng): string {
  // Character codes into one scratch buffer, then one string: concatenating 36 characters
  // would allocate an intermediate string per character (a million IDs at C1M).
  const codes = UUID_CODES;
  let at = 0;
  for (let w = 0; w < 4; w++) {
    let x = rng.nextUint32();
    for (let i = 0; i < 8; i++) {
      const pos = w * 8 + i;
      let nibble = x & 0xf;
      x >>>= 4;
      if (pos === 12)
        nibble = 4; // version
      else if (pos === 16) nibble = 8 | (nibble & 3); // variant 10xx
      if (pos === 8 || pos === 12 || pos === 16 || pos === 20) codes[at++] = 45; // '-'
      codes[at++] = HEX_CODES[nibble]!;
    }
  }
  return String.fromCharCode.apply(null, codes as unknown as number[]);
}
