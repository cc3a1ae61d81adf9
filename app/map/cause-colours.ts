/**
 * The map coloured by cause (issue 17): every split region in the colour of the cause that split
 * it, everything else faded, so the question "whose split is this?" is answered by colour alone.
 * Unsplit tiles take the palette's dimmed shade (mixed 72% toward the background), so no state
 * colour — guest private or shared, whose 16 hues span the wheel — is left on the map to be
 * mistaken for a cause. A 2M region of a 1 GiB block a cause split is drawn in a lighter tint of
 * that cause's colour; a region split to 4K in the full colour.
 *
 * The colours are Paul Tol's "muted" and "bright" qualitative sets (designed to stay apart for
 * colour-blind readers) and Okabe–Ito's vermillion for SNP, at full strength: on a washed-out
 * projector a cause still reads against the faded map. The dark theme lifts each toward white.
 */
import type { CauseInfo, KernelDesign, RunInfo } from '../../src/worker/protocol';
import type { Palette } from './palette';

type Rgb = [number, number, number];

/** Fixed colours for the causes the engine knows (src/machine/causes/index.ts ids). */
const BY_ID: Record<string, string> = {
  boot: '#5b6472',
  snp: '#d55e00',
  kernel: '#332288',
  kfence: '#cc6677',
  iommu: '#117733',
  debug_pagealloc: '#999933',
  module: '#0077bb',
  bpf: '#ee7733',
  kprobe: '#882255',
  secretmem: '#009988',
  hwpoison: '#aa3377',
  ttm: '#44aa99',
  'page-cache': '#ddaa33',
  'gmem-no-direct-map': '#6699cc',
  'gfp-unmapped': '#bb5566',
};
/** For ids added later: Tol's "bright" set, in order. */
const SPARE = ['#4477aa', '#228833', '#ccbb44', '#66ccee', '#aa3377', '#bbbbbb'];

const rgbOf = (hex: string): Rgb =>
  [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const mix = (a: Rgb, b: Rgb, t: number): Rgb =>
  a.map((v, i) => Math.round(v + (b[i]! - v) * t)) as Rgb;
const pack = ([r, g, b]: Rgb) => ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
const css = ([r, g, b]: Rgb) => `rgb(${r} ${g} ${b})`;

/** The colours by cause slot (RunInfo.causes order). */
export interface CauseColours {
  /** Packed ABGR per slot + 1 (index 0 unused): a region split to 4K, a 2M region of a split 1G. */
  solid: Uint32Array;
  light: Uint32Array;
  /** CSS per slot, for the legend. */
  solidCss: string[];
  lightCss: string[];
}

export function causeColour(id: string, slot: number): string {
  return BY_ID[id] ?? SPARE[slot % SPARE.length]!;
}

const cache = new Map<string, Palette>();

/**
 * The palette `p` with the causes' colours (Palette.byCause): raster.ts paints a split region
 * of the direct-map layer in its cause's colour and every other tile dimmed.
 */
export function withCauses(p: Palette, causes: readonly CauseInfo[]): Palette {
  const key = `${p.theme}|${causes.map((c) => c.id).join(',')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const bg = rgbOf(p.background);
  const white: Rgb = [255, 255, 255];
  const solid = new Uint32Array(causes.length + 1);
  const light = new Uint32Array(causes.length + 1);
  const solidCss: string[] = [];
  const lightCss: string[] = [];
  causes.forEach((c, slot) => {
    const base = rgbOf(causeColour(c.id, slot));
    const s = p.theme === 'dark' ? mix(base, white, 0.2) : base;
    const l = mix(s, bg, 0.55);
    solid[slot + 1] = pack(s);
    light[slot + 1] = pack(l);
    solidCss.push(css(s));
    lightCss.push(css(l));
  });
  const out: Palette = { ...p, byCause: { solid, light, solidCss, lightCss } };
  cache.set(key, out);
  return out;
}

/**
 * The SNP designs whose direct-map code was merged (upstream-2024: adjust_direct_map in 6.9, KVM
 * SNP host support in 6.11; no-snp splits nothing for SNP). Every other design is a posted series
 * or RFC, so its splits are a proposal's (issue 17: a proposal is labelled as such wherever it
 * appears). Decided here, in the UI: the engine keeps no design test outside its kernels/.
 */
const MERGED_DESIGNS: readonly KernelDesign[] = ['upstream-2024', 'no-snp'];

/** By RunInfo.causes (kept across a run's progress updates), so the map's prop stays the same. */
const runCache = new WeakMap<CauseInfo[], CauseInfo[]>();

/** The run's causes (RunInfo.causes) with the SNP splits' status set by its design. */
export function runCauses(info: RunInfo): CauseInfo[] | undefined {
  const all = info.causes;
  if (!all) return undefined;
  const hit = runCache.get(all);
  if (hit) return hit;
  const proposal = !MERGED_DESIGNS.includes(info.kernel);
  const out = all.map((c) =>
    c.id === 'snp' && proposal ? { ...c, status: 'proposal' as const } : c,
  );
  runCache.set(all, out);
  return out;
}
