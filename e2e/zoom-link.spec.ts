import './helpers/hooks';
import { expect, type Page, test } from '@playwright/test';
import { MODEL_VERSION } from '../src/scenario/versions';
import { perRowOf, worldOfPfn } from './helpers/map';
import { Explorer } from './pages/explorer';

/**
 * A zoomed view's link reopens that view: the same frame under the same screen point, at the
 * same level of detail (4K cells), and at another window size the same range fitted. The map's
 * geometry is app/map/geometry.ts (a 2 MiB tile is 16 × 32 cells of 4 KiB, 32 tiles to a row of
 * a 1 GiB block); window.__fracture.map exposes its d3-zoom transform.
 */

const transform = (page: Page) => page.evaluate(() => window.__fracture!.map!.transform());

async function mapReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__fracture?.map?.ready() === true);
}

/** Page position of the centre of a world cell. */
async function screenOf(page: Page, app: Explorer, cell: { x: number; y: number }) {
  const t = await transform(page);
  const box = (await app.map.boundingBox())!;
  return { x: box.x + t.x + (cell.x + 0.5) * t.k, y: box.y + t.y + (cell.y + 0.5) * t.k };
}

/** The frame the map's tooltip names under a page point. */
async function pfnUnder(page: Page, at: { x: number; y: number }): Promise<string> {
  await page.mouse.move(at.x, at.y);
  const tip = page.getByRole('tooltip');
  await expect(tip).toBeVisible();
  return (/PFN (0x[0-9a-f]+)/.exec((await tip.textContent()) ?? '') ?? [])[1] ?? '';
}

/** The canvas pixel's colour at a page point. */
function colourAt(app: Explorer, at: { x: number; y: number }) {
  return app.map.evaluate((c, p) => {
    const canvas = c as HTMLCanvasElement;
    const r = canvas.getBoundingClientRect();
    const dpr = canvas.width / r.width;
    const px = canvas
      .getContext('2d')!
      .getImageData(Math.round((p.x - r.x) * dpr), Math.round((p.y - r.y) * dpr), 1, 1).data;
    return Array.from(px.slice(0, 3)).join(',');
  }, at);
}

// GPA 0x1f000: the page the guest shared (thread-2021 step 3), in the guest's first 2 MiB at
// 0x3e800000 (a movable order-9 block; the SNP host's own pages start at 64 MiB).
const SHARED = 0x3e81f;
const PRIVATE = 0x3e81e;

/** The shared cell and its private neighbour are drawn in different colours: 4K cells show. */
async function expectCells(page: Page, app: Explorer): Promise<void> {
  await expect
    .poll(async () => {
      const a = await colourAt(
        app,
        await screenOf(page, app, worldOfPfn(SHARED, await perRowOf(page))),
      );
      const b = await colourAt(
        app,
        await screenOf(page, app, worldOfPfn(PRIVATE, await perRowOf(page))),
      );
      return a !== b;
    })
    .toBe(true);
}

test('a link to 4K cells reopens the same cells under the same screen points', async ({
  page,
  browser,
}, info) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  // With today's model version (m=), so no model-changed notice moves the map while zooming.
  const app = await new Explorer(page).open(`#preset=thread-2021&m=${MODEL_VERSION}&step=4`);
  await mapReady(page);
  // The shared page is near the top of its tile (cell row 1), and its tile is low on the map: drag
  // it to the top of the view first, so the zoomed view stays inside its tile row. (A view across
  // two tile rows is a range whose corners may cross in another window's layout, which then shows
  // the tiles that hold it: view-range.ts.)
  const start = await screenOf(page, app, worldOfPfn(SHARED, await perRowOf(page)));
  const top = (await app.map.boundingBox())!.y + 24;
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x, top, { steps: 10 });
  await page.mouse.up();
  // Wheel-zoom around the shared page, as a user would, until a cell is ~40 px.
  for (let i = 0; i < 30 && (await transform(page)).k < 40; i++) {
    const at = await screenOf(page, app, worldOfPfn(SHARED, await perRowOf(page)));
    await page.mouse.move(at.x, at.y);
    await page.mouse.wheel(0, -240);
    await page.waitForTimeout(200);
  }
  await expect.poll(() => app.hash()).toMatch(/zoom=0x[0-9a-f]+-0x[0-9a-f]+/);
  // The link is written a moment after the last wheel gesture ends: wait until it holds still.
  await expect
    .poll(async () => {
      const a = await app.hash();
      await page.waitForTimeout(400);
      return a === (await app.hash());
    })
    .toBe(true);
  await mapReady(page);
  await expectCells(page, app);
  await app.shot(info, 'zoomed into 4K cells');
  const before = await transform(page);
  const link = page.url();
  const box = (await app.map.boundingBox())!;
  // Points spread over the view (the overview covers its top-right corner, the legend its bottom).
  const points = [
    await screenOf(page, app, worldOfPfn(SHARED, await perRowOf(page))),
    { x: box.x + 30, y: box.y + 30 },
    { x: box.x + box.width - 140, y: box.y + 40 },
    { x: box.x + box.width / 3, y: box.y + box.height / 2 },
  ];
  const pfns: string[] = [];
  for (const p of points) pfns.push(await pfnUnder(page, p));
  expect(pfns[0]).toBe('0x3e81f');

  await page.reload();
  await app.ready();
  await mapReady(page);
  await expectCells(page, app);
  await app.shot(info, 'reloaded');
  const after = await transform(page);
  expect(Math.abs(after.k / before.k - 1)).toBeLessThan(0.01);
  for (const [i, p] of points.entries())
    expect(await pfnUnder(page, p), `point ${i}`).toBe(pfns[i]);
  // Reopening does not rewrite the link.
  await page.waitForTimeout(400);
  expect(page.url()).toBe(link);

  // In a smaller window the same range is fitted: both corner frames on screen, still cells.
  const zoom = /zoom=(0x[0-9a-f]+)-(0x[0-9a-f]+)/.exec(link)!;
  const first = Math.floor(Number(zoom[1]) / 4096);
  const last = Math.floor((Number(zoom[2]) - 1) / 4096);
  const small = await browser.newPage({ viewport: { width: 1024, height: 640 } });
  const other = new Explorer(small);
  await small.goto(link);
  await other.ready();
  await mapReady(small);
  const t = await transform(small);
  expect(t.k).toBeGreaterThanOrEqual(2); // the detail raster draws cells from 2 px a cell
  const mapBox = (await other.map.boundingBox())!;
  // The range's corners lie inside its corner frames, and an exact fit puts the corners on the
  // map's edges: each corner frame is on screen, its centre up to half a cell beyond the edge.
  const half = t.k / 2;
  for (const pfn of [first, last]) {
    const at = await screenOf(small, other, worldOfPfn(pfn, await perRowOf(small)));
    expect(at.x).toBeGreaterThan(mapBox.x - half);
    expect(at.x).toBeLessThan(mapBox.x + mapBox.width + half);
    expect(at.y).toBeGreaterThan(mapBox.y - half);
    expect(at.y).toBeLessThan(mapBox.y + mapBox.height + half);
  }
  await expectCells(small, other);
  await other.shot(info, 'the same link in a smaller window');
  await small.close();
});

test('a hand-written 2 MiB-aligned range shows the tiles that hold it, and stays in the link', async ({
  page,
}, info) => {
  const app = await new Explorer(page).open(
    '#preset=thread-2021&step=4&zoom=0x3e800000-0x3ec00000',
  );
  await mapReady(page);
  const box = (await app.map.boundingBox())!;
  // Regions 500 and 501 (two tiles of 16 × 32 world units) fill the map's height above the legend.
  const t = await transform(page);
  expect(32 * t.k).toBeGreaterThan(box.height / 2);
  expect(32 * t.k).toBeLessThan(box.height);
  expect(
    await pfnUnder(page, await screenOf(page, app, worldOfPfn(SHARED, await perRowOf(page)))),
  ).toBe('0x3e81f');
  await app.shot(info, 'regions 500 and 501');
  await page.waitForTimeout(400);
  expect(await app.hash()).toContain('zoom=0x3e800000-0x3ec00000');
});
