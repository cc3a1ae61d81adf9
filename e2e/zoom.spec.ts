import './helpers/hooks';
import { expect, type Page, test } from '@playwright/test';
import { perRowOf, worldOfPfn } from './helpers/map';
import { Explorer } from './pages/explorer';

/** The map's d3-zoom transform (window.__fracture.map; geometry in helpers/map.ts). */
interface Transform {
  k: number;
  x: number;
  y: number;
}

async function transform(page: Page): Promise<Transform> {
  return page.evaluate(() => {
    const m = window.__fracture?.map;
    if (!m) throw new Error('the map exposes no window.__fracture.map');
    return m.transform();
  });
}

async function mapReady(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const m = window.__fracture?.map;
    return m?.ready() === true;
  });
}

/** Screen position (page px) of the centre of a world cell. */
async function screenOf(page: Page, app: Explorer, cell: { x: number; y: number }) {
  const t = await transform(page);
  const box = await app.map.boundingBox();
  if (!box) throw new Error('map not laid out');
  return { x: box.x + t.x + (cell.x + 0.5) * t.k, y: box.y + t.y + (cell.y + 0.5) * t.k };
}

test('zooming into a split tile shows its 4K cells, and one of them can be picked', async ({
  page,
}, info) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=4');
  await mapReady(page);
  await app.shot(info, 'whole host');
  // GPA 0x1f000: the page the guest shared (thread-2021 step 3), in the guest's first 2 MiB at
  // 0x3e800000 (a movable order-9 block; the SNP host's own pages start at 64 MiB).
  const sharedPfn = 0x3e81f;
  const privatePfn = 0x3e81e;
  const shared = worldOfPfn(sharedPfn, await perRowOf(page));
  const before = (await transform(page)).k;

  // Wheel-zoom around the shared page, as a user would.
  for (let i = 0; i < 30 && (await transform(page)).k < 24; i++) {
    const at = await screenOf(page, app, shared);
    await page.mouse.move(at.x, at.y);
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(60);
  }
  const k = (await transform(page)).k;
  expect(k).toBeGreaterThan(before * 4);
  expect(k).toBeGreaterThanOrEqual(8); // a 4K cell is at least 8 × 8 px
  await page.waitForTimeout(400); // the detail raster is built once the view is still
  await mapReady(page);
  await app.shot(info, 'zoomed into the split tile');

  // The shared cell and its private neighbour are drawn differently: the tile shows 4K cells.
  const a = await screenOf(page, app, shared);
  const b = await screenOf(page, app, worldOfPfn(privatePfn, await perRowOf(page)));
  const png = await page.screenshot({
    clip: { x: Math.min(a.x, b.x) - 2, y: a.y - 2, width: Math.abs(a.x - b.x) + 5, height: 5 },
  });
  const colours = await page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const px = (x: number) => Array.from(ctx.getImageData(x, 2, 1, 1).data.slice(0, 3)).join(',');
    return { left: px(2), right: px(img.width - 3) };
  }, png.toString('base64'));
  expect(colours.left).not.toBe(colours.right);

  // Clicking the shared cell pins the inspector on exactly that 4K frame.
  await page.mouse.click(a.x, a.y);
  const inspector = page.getByRole('region', { name: 'Frame inspector' });
  await expect(inspector).toContainText('0x3e81f');
  await expect(inspector).toContainText('4K');
  await app.shot(info, 'shared 4K frame inspected');
  await expect.poll(() => app.hash()).toContain('sel=0x3e81f');
});
