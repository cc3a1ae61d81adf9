/**
 * Issue 16, "Hostile or broken input", in the import sheet: a 10⁷-line file goes to the tools
 * worker as bytes (transferred) and is never decoded on the main thread, so the page does not
 * stall; a refused file leaves nothing of the previous file (its name, its text) in the sheet.
 */
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

async function openImport(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const app = await new Explorer(page).open('#preset=thread-2021');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const sheet = page.getByRole('region', { name: 'Import data from a real machine' });
  await expect(sheet).toBeVisible();
  return { app, sheet };
}

const longTasks = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    const all = w.__longTasks.splice(0);
    return Math.max(0, ...all);
  });

test('a 10⁷-line file dropped into the import sheet goes to the worker as bytes', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  const { sheet } = await openImport(page);
  const path = info.outputPath('ten-million-lines.txt');
  writeFileSync(
    path,
    'MemTotal:        1024 kB\n'.repeat(10_000_000 / 10) + '0\n'.repeat(9_000_000),
  );
  await longTasks(page);
  await sheet.getByLabel('Text to import: file').setInputFiles(path);
  await expect(sheet.getByText('File: ten-million-lines.txt')).toBeVisible();
  // The worker's answer (the text is no meminfo), while the page stayed responsive.
  await expect(
    sheet.getByRole('alert').or(sheet.getByRole('region', { name: 'Import result' })),
  ).toBeVisible({
    timeout: 60_000,
  });
  const box = sheet.getByRole('textbox', { name: 'Text to import' });
  // Only its beginning is in the sheet (the whole file is 34 MB).
  expect((await box.inputValue()).length).toBeLessThan(250_000);
  await expect(box).toHaveValue(/bytes\)$/);
  const longest = await longTasks(page);
  info.annotations.push({ type: 'longest main-thread task (ms)', description: String(longest) });
  expect(longest).toBeLessThan(500);
});

test('a refused file clears the previous file’s name and text from the sheet', async ({
  page,
}, info) => {
  const { sheet } = await openImport(page);
  const meminfo = readFileSync(
    new URL('../src/formats/import/fixtures/meminfo-x86.txt', import.meta.url),
    'utf8',
  );
  await sheet.getByLabel('Text to import: file').setInputFiles({
    name: 'meminfo-x86.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(meminfo),
  });
  const box = sheet.getByRole('textbox', { name: 'Text to import' });
  await expect(sheet.getByText('File: meminfo-x86.txt')).toBeVisible();
  await expect(box).toHaveValue(/MemTotal/);
  // 65 MiB (a sparse file): over the 64 MiB limit, refused before it is read.
  const big = info.outputPath('too-big.log');
  writeFileSync(big, '');
  truncateSync(big, 65 * 1024 * 1024);
  await sheet.getByLabel('Text to import: file').setInputFiles(big);
  await expect(sheet.getByRole('alert')).toContainText('over the 64 MiB limit');
  await expect(sheet.getByText('File: meminfo-x86.txt')).toHaveCount(0);
  await expect(box).toHaveValue('');
  await expect(sheet.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
});
