import './helpers/hooks';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

const fixture = (name: string) =>
  readFileSync(new URL(`../src/formats/import/fixtures/${name}`, import.meta.url), 'utf8');

async function openImport(page: Page) {
  const app = await new Explorer(page).open('#preset=thread-2021');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const sheet = page.getByRole('region', { name: 'Import data from a real machine' });
  await expect(sheet).toBeVisible();
  return { app, sheet };
}

test('paste a meminfo snapshot: its DirectMap totals and the reconcile with the model', async ({
  page,
}, info) => {
  const { app, sheet } = await openImport(page);
  await sheet.getByRole('textbox', { name: 'Text to import' }).fill(fixture('meminfo-x86.txt'));
  await sheet.getByRole('button', { name: 'Import', exact: true }).click();
  const result = sheet.getByRole('region', { name: 'Import result' });
  await expect(result).toContainText('/proc/meminfo');
  await expect(result).toContainText(/DirectMap1G:\s+61865984 kB/);
  await expect(result.getByRole('region', { name: 'Reconcile with the model' })).toContainText(
    'DirectMap4k',
  );
  await app.shot(info, 'import meminfo');
});

test('a model ptdump dropped as a file reconciles region by region', async ({ page }, info) => {
  const { app, sheet } = await openImport(page);
  const dump = fixture('kernel-4level.txt');
  await page.evaluate(
    ({ text }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'kernel.txt', { type: 'text/plain' }));
      const zone = document.querySelector('[aria-label="Import drop zone"]');
      zone?.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true }));
      zone?.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true }));
    },
    { text: dump },
  );
  const result = sheet.getByRole('region', { name: 'Import result' });
  await expect(result).toContainText('ptdump');
  await expect(result).toContainText(/\d+ agree/);
  await expect(sheet).toContainText('File: kernel.txt');
  await app.shot(info, 'import ptdump dropped');
});

test('the file input takes an e820 map and starts a scenario on that layout', async ({ page }) => {
  const { app, sheet } = await openImport(page);
  await sheet.getByLabel('Text to import: file').setInputFiles({
    name: 'dmesg.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(fixture('dmesg-e820.txt')),
  });
  await expect(sheet.getByRole('region', { name: 'Import result' })).toContainText('e820');
  await sheet.getByRole('button', { name: 'Start a scenario on this host layout' }).click();
  await expect(sheet).toBeHidden();
  await expect(page.getByRole('heading', { name: /imported host layout/ })).toBeVisible();
  await app.ready();
});

test('binary and foreign input get a message naming the line and what was expected', async ({
  page,
}) => {
  const { sheet } = await openImport(page);
  await sheet.getByLabel('Text to import: file').setInputFiles({
    name: 'garbage.bin',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 10, 0, 0]),
  });
  await expect(sheet.getByRole('alert')).toContainText(/line 1: input looks like binary/);
  await expect(sheet.getByRole('alert')).toContainText('expected plain text');
  await sheet.getByRole('textbox', { name: 'Text to import' }).fill('hello\nworld\n');
  await sheet.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(sheet.getByRole('alert')).toContainText('unrecognised input');
  await expect(sheet.getByRole('alert')).toContainText('expected ptdump');
});

test('two meminfo snapshots decompose into splits', async ({ page }) => {
  const { sheet } = await openImport(page);
  await sheet.getByLabel('Two snapshots (before / after)').check();
  await sheet.getByRole('textbox', { name: 'Before' }).fill(fixture('meminfo-x86.txt'));
  await sheet.getByRole('textbox', { name: 'After' }).fill(fixture('meminfo-x86-after.txt'));
  await sheet.getByRole('button', { name: 'Compare snapshots' }).click();
  await expect(sheet.getByRole('region', { name: 'Split decomposition' })).toContainText(
    'direct_map_level2_splits',
  );
});

test('a reconciled ptdump is drawn on the memory map: differing regions marked, then cleared', async ({
  page,
}, info) => {
  // The model's own dump at step 9, next to the model at step 1: region 500 (0x3e800000, the
  // guest's first 2 MiB) is split to 4K in the dump (the split happens at step 2) and still 2M in
  // the model. The SNP host's own splits (regions 32-35, steps 0 and 1) are in both.
  const dump = execFileSync(
    'npm',
    ['run', '--silent', 'sim', '--', 'run', 'thread-2021', '--step', '9', '--ptdump'],
    { encoding: 'utf8' },
  );
  const app = await new Explorer(page).open('#preset=thread-2021&step=1');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const sheet = page.getByRole('region', { name: 'Import data from a real machine' });
  await sheet.getByRole('textbox', { name: 'Text to import' }).fill(dump);
  await sheet.getByRole('button', { name: 'Import', exact: true }).click();
  const reconcile = sheet.getByRole('region', { name: 'Reconcile with the model' });
  await expect(reconcile).toContainText('1 differ');
  await expect(reconcile.getByRole('list', { name: 'First differing ranges' })).toContainText(
    '0x3e800000–0x3ea00000',
  );
  await sheet.getByRole('button', { name: 'Show the overlay on the map' }).click();
  await expect(sheet).toBeHidden();
  await expect
    .poll(() => page.evaluate(() => window.__fracture?.importOverlay?.outlined ?? 0))
    .toBe(1);
  expect(await page.evaluate(() => window.__fracture?.importOverlay)).toMatchObject({
    step: 1,
    differ: 1,
    // 512 regions less the 3 of the RMP table's e820 reservation, which neither side maps.
    agree: 508,
  });
  // On the canvas: region 500's tile is red, region 3's (agreeing) is not.
  const red = (region: number) =>
    page.evaluate((r) => {
      const m = window.__fracture?.map;
      const c = document.querySelector<HTMLCanvasElement>('.fmap-canvas');
      if (!m || !c) return null;
      // Where the map drew tile r (rows wrap to the stage: app/map/geometry.ts layoutFor).
      const tile = m.tileRect(r);
      if (!tile) return null;
      const x = tile.x + tile.w / 2;
      const y = tile.y + (tile.h * 20) / 32;
      const dpr = c.width / c.getBoundingClientRect().width;
      const [cr = 0, cg = 0, cb = 0] = c
        .getContext('2d')!
        .getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data;
      return cr > cg + 40 && cr > cb + 40;
    }, region);
  await expect.poll(() => red(500)).toBe(true);
  expect(await red(3)).toBe(false);
  await app.shot(info, 'import overlay on the map');

  // Reopened, the sheet has forgotten the text but still offers to clear the overlay.
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await sheet.getByRole('button', { name: 'Clear the map overlay' }).click();
  await expect(sheet.getByRole('button', { name: 'Clear the map overlay' })).toHaveCount(0);
  await sheet.getByRole('button', { name: 'Close' }).click();
  await expect.poll(() => red(1)).toBe(false);
});
