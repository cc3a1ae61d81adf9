/**
 * What the host causes hold: flat lists of frames by key ("bpf:progs", "module:3", "cache"),
 * plus the seeded generator page-cache reclaim draws from. Cloned with the machine.
 */
import { Rng } from '../rng';
import type { HeldFrames } from './cause';

export class HeldState implements HeldFrames {
  private lists = new Map<string, number[]>();
  private rng: Rng;

  constructor(seed: number) {
    this.rng = new Rng(seed ^ 0x5eed);
  }

  list(key: string): number[] {
    let l = this.lists.get(key);
    if (!l) {
      l = [];
      this.lists.set(key, l);
    }
    return l;
  }

  random(n: number): number {
    return this.rng.int(n);
  }

  /** Pages held per key prefix ("bpf", "module") for the by-cause view. */
  get size(): number {
    let n = 0;
    for (const l of this.lists.values()) n += l.length;
    return n;
  }

  clone(): HeldState {
    const c = new HeldState(0);
    c.copyFrom(this);
    return c;
  }

  copyFrom(src: HeldState): void {
    this.lists = new Map([...src.lists].map(([k, v]) => [k, v.slice()]));
    this.rng.state = src.rng.state;
  }
}
