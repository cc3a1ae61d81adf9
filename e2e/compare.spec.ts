import { expect, type Page, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

const sheetOf = (page: Page) => page.getByRole('region', { name: 'Compare A/B' });

test('compare with B = hugetlbfs 2M on thread-2021: B kills its guest, A does not', async ({
  page,
}, info) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=9');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  const sheet = sheetOf(page);
  await sheet.getByRole('combobox', { name: 'B kernel design' }).selectOption('rfc-2021');
  await sheet.getByRole('combobox', { name: 'B backing' }).selectOption('hugetlbfs-2m');
  const counters = sheet.getByRole('table', { name: 'Compare counters' });
  const killed = counters.getByRole('row', { name: /Guests killed/ });
  await expect(killed.getByRole('cell')).toHaveText(['0', '1', '+1']);
  const guests = counters.getByRole('row').last();
  await expect(guests.getByRole('cell').nth(0)).not.toContainText('killed');
  await expect(guests.getByRole('cell').nth(1)).toContainText('killed');
  await expect(sheet.getByRole('img', { name: /Difference map at step 9/ })).toBeVisible();
  await expect(sheet.getByRole('list', { name: 'Difference map legend' })).toContainText(
    'split in both',
  );
  await expect
    .poll(() => page.evaluate(() => window.location.search))
    .toContain('cmpBacking=hugetlbfs-2m');
  await app.shot(info, 'compare THP vs hugetlbfs');

  // One timeline drives both: before the write at step 4 nobody is killed.
  await sheet.getByRole('slider', { name: 'Compare step' }).fill('3');
  await expect(sheet.getByRole('img', { name: /at step 3/ })).toBeVisible();
  await expect(killed.getByRole('cell')).toHaveText(['0', '0', '0']);
  await sheet.getByRole('button', { name: 'Compare: next step' }).click();
  await expect(killed.getByRole('cell')).toHaveText(['0', '1', '+1']);
});

test('a compare link opens compare with B from the query string', async ({ page }, info) => {
  await page.goto('/?cmpKernel=upstream-2024&cmpBacking=thp#preset=thread-2021&step=9');
  const sheet = sheetOf(page);
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('combobox', { name: 'B kernel design' })).toHaveValue(
    'upstream-2024',
  );
  await expect(sheet.getByRole('table', { name: 'Compare counters' })).toContainText(
    'B: upstream-2024',
  );
  await expect(sheet.getByRole('img', { name: /Difference map/ })).toBeVisible();
  await page.screenshot({ path: info.outputPath('compare-link.png') });
  await sheet.getByRole('button', { name: 'Close' }).click();
  await expect(sheet).toBeHidden();
  await expect.poll(() => page.evaluate(() => window.location.search)).toBe('');
  expect(await page.evaluate(() => window.location.hash)).toContain('preset=thread-2021');
});
