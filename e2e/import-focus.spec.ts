import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

const MEMINFO = [
  'MemTotal:       65843124 kB',
  'MemFree:        60000000 kB',
  // The model at thread-2021 step 4 has 12,288 kB 4K and 1,030,144 kB 2M (the SNP host's own
  // splits and the RFC's); this machine is 7,352,320 kB more 4K and 12,288 kB less 2M.
  'DirectMap4k:     7364608 kB',
  'DirectMap2M:     1017856 kB',
  'DirectMap1G:    58720256 kB',
  '',
].join('\n');

test('after Import the result has the focus, so Esc still closes the sheet', async ({
  page,
}, info) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=4');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const sheet = page.getByRole('region', { name: 'Import data from a real machine' });
  await sheet.getByRole('textbox', { name: 'Text to import' }).fill(MEMINFO);
  await sheet.getByRole('button', { name: 'Import', exact: true }).click();
  const result = sheet.getByRole('region', { name: 'Import result' });
  await expect(result.getByRole('heading', { name: 'Detected: /proc/meminfo' })).toBeFocused();

  // machine − model, signed as the counters panel signs its deltas.
  const reconcile = result.getByRole('region', { name: 'Reconcile with the model' });
  await expect(reconcile.getByRole('row', { name: /DirectMap4k/ })).toContainText('+7,352,320 kB');
  await expect(reconcile.getByRole('row', { name: /DirectMap2M/ })).toContainText('−12,288 kB');
  await expect(reconcile).not.toContainText('-12,288');
  await app.shot(info, 'import result focused');

  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
});

test('an import that fails keeps the focus in the sheet too', async ({ page }) => {
  await new Explorer(page).open('#preset=thread-2021');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const sheet = page.getByRole('region', { name: 'Import data from a real machine' });
  await sheet.getByRole('textbox', { name: 'Text to import' }).fill('hello\nworld\n');
  await sheet.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(sheet.getByRole('alert')).toContainText('could not be imported');
  await expect(sheet.getByText('The text could not be imported:')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
});
