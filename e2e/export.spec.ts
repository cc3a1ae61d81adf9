/**
 * Exports (issue 6): a PNG carries its share link in its metadata and that link reopens the same
 * step; the mailing-list report is at most 80 columns wide.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { readSvgLink } from '../app/export/svg';
import { readPngLink } from '../src/formats/png-text';
import { Explorer } from './pages/explorer';
import { ExportDialog } from './pages/share-export';

const pngSize = (b: Uint8Array) => {
  const v = new DataView(b.buffer, b.byteOffset);
  return { width: v.getUint32(16), height: v.getUint32(20) };
};

test('an exported PNG carries the link to its step, and the link reopens that step', async ({
  page,
  context,
}, info) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=4');
  const exp = await new ExportDialog(page).open();
  const dl = await exp.download(/^PNG$/);
  const path = info.outputPath('step-4-1920.png');
  await dl.saveAs(path);
  await info.attach('png', { path, contentType: 'image/png' });
  const bytes = new Uint8Array(readFileSync(path));
  expect(pngSize(bytes)).toEqual({ width: 1920, height: 1080 });
  const link = readPngLink(bytes);
  expect(link).toMatch(/#preset=thread-2021&m=\d+&step=4$/);

  await exp.dialog.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await exp.dialog.getByRole('combobox', { name: 'Size' }).selectOption('3840x2160');
  const big = await exp.download(/^PNG$/);
  const bigPath = info.outputPath('step-4-3840-dark.png');
  await big.saveAs(bigPath);
  const bigBytes = new Uint8Array(readFileSync(bigPath));
  expect(pngSize(bigBytes)).toEqual({ width: 3840, height: 2160 });
  expect(readPngLink(bigBytes)).toBe(link);

  const svg = await exp.download(/^SVG$/);
  const svgPath = info.outputPath('step-4.svg');
  await svg.saveAs(svgPath);
  expect(readSvgLink(readFileSync(svgPath, 'utf8'))).toBe(link);

  const reopened = await context.newPage();
  await reopened.goto(link ?? '');
  const again = new Explorer(reopened);
  await again.ready();
  expect(await again.step()).toBe(4);
  expect(await app.step()).toBe(4);
});

test('the mailing-list report is at most 80 columns and carries the link', async ({ page }) => {
  await new Explorer(page).open('#preset=thread-2021&step=4');
  const exp = await new ExportDialog(page).open();
  await expect(exp.report).toContainText('Open this step in Fracture:');
  const text = (await exp.report.textContent()) ?? '';
  const widths = text.split('\n').map((l) => Array.from(l).length);
  expect(Math.max(...widths)).toBeLessThanOrEqual(80);
  expect(text).toContain('Step 4 of 9');
  expect(text).toContain('DirectMap4k:');
  expect(text).toMatch(/preset=thread-2021&m=\d+&step=4/);
});

test('every captioned step exports as numbered PNGs in one zip', async ({ page }, info) => {
  await new Explorer(page).open('#preset=thread-2021&step=4');
  const exp = await new ExportDialog(page).open();
  const dl = await exp.download(/Every captioned step/);
  const path = info.outputPath('captions.zip');
  await dl.saveAs(path);
  const { unzipSync } = await import('fflate');
  const files = Object.keys(unzipSync(new Uint8Array(readFileSync(path))));
  expect(files.length).toBeGreaterThan(1);
  expect(files[0]).toMatch(/^01-step-\d+\.png$/);
});
