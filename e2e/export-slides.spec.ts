/**
 * Slide exports (issue 15): a slide at step 4 carries the legend, the caption and the counters
 * (read back from the SVG's text elements, and the legend's swatches checked pixel by pixel in
 * the PNG); a slide zoomed to the split tile 0x3e800000–0x3ea00000 shows 512 distinguishable 4K cells. Each preset
 * and theme is saved next to the test's output for a person to look at.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { Explorer } from './pages/explorer';
import { ExportDialog } from './pages/share-export';

type Rgb = [number, number, number];

/** PNG file → RGBA pixels, decoded by the browser (no image library in the tests). */
async function pixels(page: Page, png: Buffer, points: [number, number][]): Promise<Rgb[]> {
  return page.evaluate(
    async ({ b64, points }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const data = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
      return points.map(([x, y]) => {
        const i = (Math.round(y) * bmp.width + Math.round(x)) * 4;
        return [data[i]!, data[i + 1]!, data[i + 2]!] as [number, number, number];
      });
    },
    { b64: png.toString('base64'), points },
  );
}

const rgbOf = (css: string): Rgb => {
  const hex = /^#([0-9a-f]{6})$/i.exec(css)?.[1];
  if (hex) return [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as Rgb;
  const m = /rgb\((\d+)[ ,]+(\d+)[ ,]+(\d+)\)/.exec(css)!;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};
const near = (a: Rgb, b: Rgb) => a.every((v, i) => Math.abs(v - b[i]!) <= 3);

const textsOf = (svg: string, part: string) =>
  [...svg.matchAll(new RegExp(`<text[^>]*data-part="${part}"[^>]*>(.*?)</text>`, 'g'))].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );

async function save(
  exp: ExportDialog,
  kind: 'PNG' | 'SVG' | 'Record WebM',
  path: string,
): Promise<Buffer> {
  const dl = await exp.download(new RegExp(`^${kind}$`));
  await dl.saveAs(path);
  return readFileSync(path);
}

test('a slide at step 4 has its legend, caption and counters, in the PNG too', async ({
  page,
}, info) => {
  test.setTimeout(90_000);
  await new Explorer(page).open('#preset=thread-2021&step=4');
  const exp = await new ExportDialog(page).open();
  const svg = (await save(exp, 'SVG', info.outputPath('step-4.svg'))).toString('utf8');
  expect(textsOf(svg, 'caption').join(' ')).toContain('RMP violation');
  const counters = textsOf(svg, 'counter');
  expect(counters.join('|')).toMatch(/DirectMap4k [\d,]+ kB/);
  // The TMR's and the platform-status page's splits at boot, two for the launch image and the
  // RFC's pre-split at step 2.
  expect(counters.join('|')).toMatch(/level2_splits 5 ±0/);
  expect(textsOf(svg, 'scale').join(' ')).toContain('one tile = 2 MiB');
  const legend = textsOf(svg, 'legend');
  expect(legend).toEqual(expect.arrayContaining(['free', 'host kernel']));
  expect(legend.join('|')).toContain('vm: private (4K RMP entry)');

  const png = await save(exp, 'PNG', info.outputPath('step-4.png'));
  await info.attach('slide', { path: info.outputPath('step-4.png'), contentType: 'image/png' });
  const swatches = [
    ...svg.matchAll(
      /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="([^"]+)"[^>]*data-(split-)?code/g,
    ),
  ];
  // A whole and a split swatch per legend row (as on the map), checked pixel by pixel below.
  expect(swatches.length).toBe(2 * legend.length);
  expect(textsOf(svg, 'legend-mark').join('|')).toContain('ringed: changed at step 4');
  // The split tiles are drawn in exactly the legend's split colours.
  const drawn = new Set(
    [...svg.matchAll(/<path fill="([^"]+)" data-split-code/g)].map((m) => m[1]),
  );
  expect(drawn.size).toBeGreaterThan(0);
  for (const c of drawn) expect(swatches.some((m) => m[6] && m[5] === c)).toBe(true);
  const centres = swatches.map(
    (m) => [Number(m[1]) + Number(m[3]) / 2, Number(m[2]) + Number(m[4]) / 2] as [number, number],
  );
  const got = await pixels(page, png, centres);
  swatches.forEach((m, i) => {
    expect(near(got[i]!, rgbOf(m[5]!)), `swatch ${m[5]} drawn as ${got[i]}`).toBe(true);
  });

  // Every preset, light and dark, saved for a look.
  for (const theme of ['light', 'dark']) {
    await exp.dialog.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
    for (const size of ['1920x1080', '1280x720', '1024x768']) {
      await exp.dialog.getByRole('combobox', { name: 'Size' }).selectOption(size);
      await save(exp, 'PNG', info.outputPath(`step-4-${size}-${theme}.png`));
    }
  }
});

// The default scenario's split tile: the guest's first 2 MiB (a movable order-9 block at
// 0x3e800000; the SNP host's own unmovable pages start at 0x4000000).
test('a slide zoomed to 0x3e800000–0x3ea00000 shows 512 distinguishable 4K cells', async ({
  page,
}, info) => {
  await new Explorer(page).open('#preset=thread-2021&step=4&zoom=0x3e800000-0x3ea00000');
  const exp = await new ExportDialog(page).open();
  const svg = (await save(exp, 'SVG', info.outputPath('zoom.svg'))).toString('utf8');
  expect(textsOf(svg, 'subtitle')[0]).toContain('0x3e800000–0x3ea00000');
  expect(svg).toContain('data-cells="512"');
  const at = /data-part="map" data-x="(\d+)" data-y="(\d+)" data-tile-px="(\d+)"/.exec(svg)!;
  const [x0, y0, w] = [Number(at[1]), Number(at[2]), Number(at[3])];
  const cell = w / 16;
  expect(cell).toBeGreaterThanOrEqual(8);
  const png = await save(exp, 'PNG', info.outputPath('zoom.png'));
  await info.attach('zoomed slide', {
    path: info.outputPath('zoom.png'),
    contentType: 'image/png',
  });
  const centres: [number, number][] = [];
  const gaps: [number, number][] = [];
  for (let i = 0; i < 512; i++) {
    const cx = x0 + (i % 16) * cell;
    const cy = y0 + Math.floor(i / 16) * cell;
    centres.push([cx + cell / 2, cy + cell / 2]);
    if (i % 16 > 0) gaps.push([cx, cy + cell / 2]);
  }
  const ground = rgbOf(
    /<rect width="\d+" height="\d+" fill="([^"]+)" data-part="ground"/.exec(svg)![1]!,
  );
  const inside = await pixels(page, png, centres);
  const between = await pixels(page, png, gaps);
  // Every cell is painted, every boundary between two cells of a row is a line of the ground.
  for (const c of inside) expect(near(c, ground)).toBe(false);
  expect(between.filter((c) => near(c, ground)).length).toBe(gaps.length);
  // The shared page (GPA 0x1f000 → cell 0x1f) is not the colour of its private neighbours.
  expect(near(inside[0x1f]!, inside[0x1e]!)).toBe(false);
  expect(near(inside[0x1e]!, inside[0x20]!)).toBe(true);
});

test('a WebM of steps 3 to 4 records the slides', async ({ page }, info) => {
  await new Explorer(page).open('#preset=thread-2021&step=4');
  const exp = await new ExportDialog(page).open();
  const record = exp.dialog.getByRole('button', { name: 'Record WebM' });
  test.skip(await record.isDisabled(), 'this Chromium cannot record a canvas');
  await exp.dialog.getByRole('spinbutton', { name: 'From step' }).fill('3');
  await exp.dialog.getByRole('spinbutton', { name: 'to step' }).fill('4');
  await exp.dialog.getByRole('combobox', { name: 'Size' }).selectOption('1280x720');
  const webm = await save(exp, 'Record WebM', info.outputPath('steps.webm'));
  // EBML magic: a Matroska/WebM file.
  expect(webm.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
  expect(webm.length).toBeGreaterThan(1000);
});
