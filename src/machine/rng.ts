/**
 * The engine's only source of randomness: a seeded SplitMix32-style generator, so a scenario
 * replays to the same digest in the CLI, the worker and the tests.
 */
export class Rng {
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Next 32-bit unsigned value (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [0, n), n up to 2^53. */
  int(n: number): number {
    if (n <= 0x100000000) return Math.floor((this.next() / 0x100000000) * n);
    return Math.floor(((this.next() * 0x100000000 + this.next()) / 2 ** 64) * n);
  }
}
