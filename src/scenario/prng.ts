/**
 * A tiny seeded PRNG (mulberry32): 32 bits of state, fast, and identical on every JS engine, so a
 * scenario's generated events are the same in the browser, the CLI and the tests forever.
 * Bitwise operators here act on the 32-bit generator state only, never on addresses.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    // Fold any safe integer into 32 bits without bitwise ops on the (possibly > 2^32) seed.
    this.state = (seed % 4294967296) >>> 0;
  }

  /** Next uint32. */
  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n) for any n up to 2^53 (two draws above 2^32). */
  below(n: number): number {
    if (n <= 1) return 0;
    if (n <= 4294967296) return Math.floor(this.next() * n);
    const hi = this.nextU32() * 2097152; // 21 bits more than the low draw: 53 bits in all
    const x = (hi + (this.nextU32() % 2097152)) / 9007199254740992;
    return Math.floor(x * n);
  }
}
