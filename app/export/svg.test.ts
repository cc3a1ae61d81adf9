import { describe, expect, it } from 'vitest';
import {
  CELL_FREE,
  CELL_HOLE,
  CELL_KERNEL,
  CELL_PRIVATE,
  CELL_SHARED,
  LEVEL_1G,
  LEVEL_2M,
  LEVEL_4K,
} from '../../src/worker/protocol';
import { paletteFor } from '../map/palette';
import { contrast, mutedInk, SLIDE_SIZE_LIST, SLIDE_SIZES, wrapText } from './slide-text';
import { buildMapSvg, readSvgLink, type SvgExportInput } from './svg';
import { MAX_TILES, tileGrid } from './svg-grid';

/** Tags balance and nest, attributes are quoted, no stray '&' or '<': enough to call it XML. */
function checkXml(svg: string): void {
  const body = svg.replace(/^<\?xml[^?]*\?>\n/, '');
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let consumed = 0;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    consumed = re.lastIndex;
    const [, close, name, , self, text] = m;
    if (text !== undefined) {
      expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
      continue;
    }
    if (self) continue;
    if (close) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(consumed).toBe(body.length);
  expect(stack).toEqual([]);
}

/** A host of `regions` 2 MiB regions: 1G-mapped free memory, a hole, and some split guest pages. */
function snapshot(regions: number, opts: { noisy?: boolean } = {}) {
  const regionCode = new Uint8Array(regions).fill(CELL_FREE);
  const regionLevel = new Uint8Array(regions).fill(LEVEL_1G);
  regionCode.fill(CELL_KERNEL, 0, 64);
  regionLevel.fill(LEVEL_2M, 0, 512);
  regionLevel[0] = LEVEL_4K;
  regionCode.fill(CELL_HOLE, 1536, 2048);
  regionLevel.fill(0, 1536, 2048);
  for (let r = 4096; r < regions; r += 997) {
    regionCode[r] = CELL_PRIVATE + 16 * (r % 3);
    regionLevel[r] = LEVEL_4K;
  }
  if (opts.noisy)
    for (let r = 0; r < regions; r++) {
      regionCode[r] = r % 2 ? CELL_SHARED : CELL_PRIVATE;
      regionLevel[r] = r % 3 ? LEVEL_2M : LEVEL_4K;
    }
  return { regions, regionCode, regionLevel };
}

/** The thread-2021 region at 0x200000: 511 private pages and one shared page. */
function oneTile(): Uint8Array {
  const cells = new Uint8Array(512).fill(CELL_PRIVATE);
  cells[0x1f] = CELL_SHARED;
  return cells;
}

const LINK = 'https://fracture.example/#preset=thread-2021&step=4&zoom=0x0-0x40000000&x="<&>"';

function input(over: Partial<SvgExportInput> = {}): SvgExportInput {
  const theme = over.theme ?? 'light';
  const p = paletteFor(theme);
  return {
    snapshot: snapshot(512),
    size: '1920x1080',
    theme,
    palette: { background: p.background, ink: p.ink, accent: p.accent, css: p.css },
    title: 'The 2021 thread <RFC> & hugetlbfs',
    step: 4,
    steps: 9,
    kernel: 'rfc-2021',
    caption: 'The VMM writes the shared page through its own 2M THP mapping: an RMP violation.',
    counters: [
      { label: 'DirectMap4k', value: '4,096 kB', delta: '±0' },
      { label: 'level2_splits', value: '1', delta: '+1' },
    ],
    guests: ['vm'],
    link: LINK,
    ...over,
  };
}

const texts = (svg: string, part: string) =>
  [...svg.matchAll(new RegExp(`<text[^>]*data-part="${part}"[^>]*>(.*?)</text>`, 'g'))].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );

describe('buildMapSvg: a slide', () => {
  it('is well-formed at every preset, sized for it, with the link in metadata', () => {
    for (const size of SLIDE_SIZE_LIST) {
      const svg = buildMapSvg(input({ size }));
      checkXml(svg);
      const { width: w, height: h } = SLIDE_SIZES[size];
      expect(svg).toContain(`width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"`);
      expect(svg).toMatch(/<metadata>[\s\S]*<fracture:link>[\s\S]*<\/metadata>/);
      expect(readSvgLink(svg)).toBe(LINK);
      expect(svg).toContain('Step 4 of 9 · kernel rfc-2021');
    }
  });

  it('says the caption, the counters with deltas, the scale and a legend of what it draws', () => {
    const svg = buildMapSvg(input());
    expect(texts(svg, 'caption').join(' ')).toContain('an RMP violation');
    expect(texts(svg, 'counter').join('|')).toMatch(/level2_splits\s+1\s+\+1/);
    expect(texts(svg, 'scale').join(' ')).toContain('one tile = 2 MiB · one row =');
    const legend = texts(svg, 'legend');
    expect(legend).toEqual(expect.arrayContaining(['free', 'host kernel']));
    // Every swatch's colour is a colour the map part draws.
    const drawn = new Set([...svg.matchAll(/<path fill="([^"]+)" data-code/g)].map((m) => m[1]));
    for (const m of svg.matchAll(/<rect [^>]*fill="([^"]+)"[^>]*data-code/g))
      expect(drawn.has(m[1])).toBe(true);
  });

  it('keeps small text at 4.5:1 or more on both grounds', () => {
    for (const theme of ['light', 'dark'] as const) {
      const p = paletteFor(theme);
      expect(contrast(mutedInk(p.ink, p.background), p.background)).toBeGreaterThanOrEqual(4.5);
      const svg = buildMapSvg(input({ theme }));
      for (const m of svg.matchAll(/<text [^>]*fill="(#[0-9a-f]{6})"/g))
        expect(contrast(m[1]!, p.background)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('differs between light and dark', () => {
    const light = buildMapSvg(input({ theme: 'light' }));
    const dark = buildMapSvg(input({ theme: 'dark' }));
    expect(light).not.toBe(dark);
    expect(dark).toContain(`fill="${paletteFor('dark').background}"`);
  });

  it('uses one path per colour, merging runs along rows', () => {
    const svg = buildMapSvg(input({ snapshot: snapshot(8192) }));
    const fills = [...svg.matchAll(/<path fill="([^"]+)" data-code/g)].map((m) => m[1]);
    expect(new Set(fills).size).toBe(fills.length);
    expect(fills.length).toBeLessThan(12);
  });

  it('stays small for a mostly intact 1 TiB host and bounded for the worst case', () => {
    const regions = (1024 * 1024) / 2;
    const svg = buildMapSvg(input({ snapshot: snapshot(regions) }));
    checkXml(svg);
    expect(svg.length).toBeLessThan(400_000);
    const noisy = buildMapSvg(input({ snapshot: snapshot(regions, { noisy: true }) }));
    expect(noisy.length).toBeLessThan(MAX_TILES * 2 * 40);
  });

  it('zoomed to one 2 MiB tile, draws its 512 cells with the cell grid between them', () => {
    const snap = snapshot(512);
    const svg = buildMapSvg(
      input({
        snapshot: snap,
        range: { firstRegion: 1, endRegion: 2 },
        cells: new Map([[1, oneTile()]]),
      }),
    );
    checkXml(svg);
    const gaps =
      /data-part="cell-gaps" data-cell-px="([\d.]+)" data-cells="(\d+)" d="([^"]+)"/.exec(svg);
    expect(gaps).not.toBeNull();
    expect(Number(gaps![1])).toBeGreaterThanOrEqual(8);
    expect(gaps![2]).toBe('512');
    // 15 vertical and 31 horizontal lines: 16 × 32 cells.
    expect(gaps![3]!.match(/M/g)!.length).toBe(15 + 31);
    expect(texts(svg, 'subtitle')[0]).toContain('0x200000–0x400000');
    expect(texts(svg, 'scale').join(' ')).toContain('one cell = 4 KiB');
    expect(texts(svg, 'legend').join('|')).toContain('vm: hypervisor-owned');
  });

  it('puts the address ruler beside the map, never over it', () => {
    const svg = buildMapSvg(input());
    const map = /<path fill="[^"]+" data-code="\d+" d="M([\d.]+) /.exec(svg)!;
    for (const m of svg.matchAll(/<text x="([\d.]+)"[^>]*text-anchor="end"[^>]*data-part="ruler"/g))
      expect(Number(m[1])).toBeLessThan(Number(map[1]));
    expect(texts(svg, 'ruler')[0]).toBe('0x0');
  });
});

describe('tileGrid', () => {
  it('fits every tile (w × 2w) in the box', () => {
    for (const n of [1, 7, 512, 4096, 65536, 524288, 8388608]) {
      const g = tileGrid(n, 1300, 780);
      expect(g.tiles).toBeLessThanOrEqual(MAX_TILES);
      expect(g.cols * g.tilePx).toBeLessThanOrEqual(1300);
      expect(g.rows * 2 * g.tilePx).toBeLessThanOrEqual(780);
      expect(g.cols * g.rows).toBeGreaterThanOrEqual(g.tiles);
    }
    // One tile: as big as the box allows.
    expect(tileGrid(1, 1300, 780).tilePx).toBe(390);
  });
});

describe('wrapText', () => {
  it('wraps at words and ends a cut text in an ellipsis', () => {
    const lines = wrapText('a '.repeat(200), 300, 20, 3);
    expect(lines).toHaveLength(3);
    expect(lines[2]!.endsWith('…')).toBe(true);
    expect(wrapText('short', 300, 20, 3)).toEqual(['short']);
  });
});
