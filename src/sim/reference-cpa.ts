/**
 * A naive reference for the CPA rules (src/machine/cpa.ts): one level per 2 MiB region in a Map,
 * one attribute word per page in a Map, page by page, no typed arrays, no run encoding. The
 * property test applies the same random set_memory_* calls to both and compares every counter
 * and every region's level. Only for hosts that are RAM from 0 to the end, with gbpages.
 */
import { type CpaCall, type CpaTarget, EFFECTS } from '../machine/cpa';
import { linuxAtLeast } from '../machine/linux';

type Level = '1G' | '2M' | '4K';
const R = 512;
const G = 512 * 512;

export class ReferenceCpa {
  readonly level = new Map<number, Level>();
  readonly attr = new Map<number, number>();
  readonly k4 = new Set<number>();
  l2 = 0;
  l3 = 0;
  c2 = 0;
  c3 = 0;

  /** Regions 0 (4K: the first 2 MiB) and the rest of the first GiB at 2M, 1G above. */
  constructor(
    readonly pages: number,
    readonly linux: string,
  ) {
    for (let r = 0; r < pages / R; r++) this.level.set(r, r === 0 ? '4K' : r < 512 ? '2M' : '1G');
  }

  private a(p: number): number {
    return this.attr.get(p) ?? 0;
  }

  call(pfn: number, n: number, call: CpaCall, target: CpaTarget): void {
    const e = EFFECTS[call];
    if (target === 'vmalloc' && !e.alias) return;
    const touched = new Set<number>();
    for (let p = pfn; p < pfn + n; p++) {
      const r = Math.floor(p / R);
      const g = Math.floor(r / 512);
      const next = (this.a(p) & ~e.clear) | e.set;
      if (this.level.get(r) === '1G') {
        const whole = pfn <= g * G && pfn + n >= (g + 1) * G;
        if (!e.force4k && (next === this.a(p) || whole)) {
          this.attr.set(p, next);
          continue;
        }
        for (let x = g * 512; x < (g + 1) * 512; x++) this.level.set(x, '2M');
        this.l3++;
      }
      if (this.level.get(r) === '2M') {
        const whole = pfn <= r * R && pfn + n >= (r + 1) * R;
        if (!e.force4k && (next === this.a(p) || whole)) {
          this.attr.set(p, next);
          continue;
        }
        this.level.set(r, '4K');
        this.l2++;
      }
      if (e.force4k) this.k4.add(r);
      this.attr.set(p, next);
      touched.add(r);
    }
    if (!e.collapse || !linuxAtLeast(this.linux, '6.15')) return;
    for (let r = Math.floor(pfn / R); r * R < pfn + n; r++) {
      if (this.level.get(r) !== '4K' || this.k4.has(r) || r === 0) continue;
      const first = this.a(r * R);
      let same = (first & 16) === 0;
      for (let p = r * R; p < (r + 1) * R && same; p++) same = this.a(p) === first;
      if (!same) continue;
      this.level.set(r, '2M');
      this.c2++;
      const g = Math.floor(r / 512);
      let gig = (g + 1) * G <= this.pages;
      for (let x = g * 512; x < (g + 1) * 512 && gig; x++) gig = this.level.get(x) === '2M';
      for (let p = g * G; p < (g + 1) * G && gig; p++) gig = this.a(p) === first;
      if (gig) {
        for (let x = g * 512; x < (g + 1) * 512; x++) this.level.set(x, '1G');
        this.c3++;
      }
    }
  }

  counts(): { k4: number; m2: number; g1: number } {
    let k4 = 0;
    let m2 = 0;
    let g1 = 0;
    for (const l of this.level.values()) {
      if (l === '4K') k4 += R;
      else if (l === '2M') m2++;
      else g1++;
    }
    return { k4, m2, g1: g1 / 512 };
  }
}
