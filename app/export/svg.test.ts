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
import { buildMapSvg, gridLayout, MAX_CELLS, readSvgLink, type SvgExportInput } from './svg';

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

const LINK = 'https://fracture.example/#preset=thread-2021&step=4&zoom=0x0-0x40000000&x="<&>"';

function input(over: Partial<SvgExportInput> = {}): SvgExportInput {
  return {
    snapshot: snapshot(512),
    resolution: '1920x1080',
    theme: 'light',
    title: 'The 2021 thread <RFC> & hugetlbfs',
    step: 4,
    steps: 9,
    kernel: 'rfc-2021',
    link: LINK,
    ...over,
  };
}

describe('buildMapSvg', () => {
  it('is well-formed, sized for the slide, with the link in metadata', () => {
    for (const resolution of ['1920x1080', '3840x2160'] as const) {
      const svg = buildMapSvg(input({ resolution }));
      checkXml(svg);
      const [w, h] = resolution.split('x');
      expect(svg).toContain(`width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"`);
      expect(svg).toMatch(/<metadata>[\s\S]*<fracture:link>[\s\S]*<\/metadata>/);
      expect(readSvgLink(svg)).toBe(LINK);
      expect(svg).toContain('Step 4 of 9 · kernel rfc-2021');
    }
  });

  it('differs between light and dark', () => {
    const light = buildMapSvg(input({ theme: 'light' }));
    const dark = buildMapSvg(input({ theme: 'dark' }));
    expect(light).not.toBe(dark);
    expect(dark).toContain('fill="#12151b"');
  });

  it('uses one path per colour, merging runs along rows', () => {
    const svg = buildMapSvg(input({ snapshot: snapshot(8192) }));
    const fills = [...svg.matchAll(/<path fill="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(fills).size).toBe(fills.length);
    expect(svg.match(/<path /g)!.length).toBeLessThan(12);
  });

  it('stays small for a mostly intact 1 TiB host and bounded for the worst case', () => {
    const regions = (1024 * 1024) / 2;
    const svg = buildMapSvg(input({ snapshot: snapshot(regions) }));
    checkXml(svg);
    expect(svg.length).toBeLessThan(400_000);
    const noisy = buildMapSvg(input({ snapshot: snapshot(regions, { noisy: true }) }));
    expect(noisy.length).toBeLessThan(MAX_CELLS * 2 * 40);
  });

  it('draws only the visible range', () => {
    const whole = gridLayout(524288, 1872, 936);
    expect(whole.regionsPerCell).toBe(8);
    const svg = buildMapSvg(
      input({ snapshot: snapshot(524288), range: { firstRegion: 0, endRegion: 512 } }),
    );
    expect(svg).toContain('one cell = 2 MiB');
    checkXml(svg);
  });
});

describe('gridLayout', () => {
  it('fits every cell in the box with square cells', () => {
    for (const n of [1, 7, 512, 4096, 65536, 524288, 8388608]) {
      const g = gridLayout(n, 1872, 936);
      expect(g.cells).toBeLessThanOrEqual(MAX_CELLS);
      expect(g.cols * g.cellPx).toBeLessThanOrEqual(1872);
      expect(g.rows * g.cellPx).toBeLessThanOrEqual(936);
      expect(g.cols * g.rows).toBeGreaterThanOrEqual(g.cells);
    }
  });
});
