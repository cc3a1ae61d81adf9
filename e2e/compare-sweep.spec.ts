import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

test('sweep: every design × backing in a sortable table; a row opens that combination', async ({
  page,
}, info) => {
  const app = await new Explorer(page).open('#preset=thread-2021');
  await page.getByRole('button', { name: 'Sweep', exact: true }).click();
  const sheet = page.getByRole('region', { name: /Sweep/ });
  const table = sheet.getByRole('table', { name: 'Sweep results' });
  await expect(table.getByRole('row')).toHaveCount(33);
  await expect(sheet.getByRole('img', { name: /Bar chart/ })).toBeVisible();
  await table.getByRole('button', { name: /^Killed/ }).click();
  // Sorted by kills, most first: the RFC's hugetlbfs rows lead.
  await expect(table.getByRole('row').nth(1)).toContainText('rfc-2021');
  await expect(table.getByRole('row').nth(1)).toContainText('hugetlbfs');
  await expect(table.getByRole('columnheader', { name: /Killed/ })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  await app.shot(info, 'sweep sorted by kills');
  // Every bar says which combination it is and its value; a zero is a visible stub with "0".
  const chart = sheet.getByRole('img', { name: /Bar chart: Killed/ });
  await expect(chart.locator('.bar-label')).toHaveCount(32);
  await expect(chart.locator('.bar-label').first()).toHaveText(/^rfc-2021 · hugetlbfs/);
  const zero = chart.locator('rect.zero').first();
  expect((await zero.boundingBox())!.height).toBeGreaterThan(1);
  await expect(chart.locator('.bar-value').last()).toHaveText('0');
  await table.getByRole('button', { name: 'Open upstream-2024 with hugetlbfs 2M' }).click();
  await expect(sheet).toBeHidden();
  await expect(app.kernel).toHaveValue('upstream-2024');
  await expect(app.backing.getByRole('radio', { name: 'hugetlbfs 2M' })).toBeChecked();
  await expect.poll(() => app.hash()).toContain('kernel=upstream-2024');
});

test('sweep on a pool of workers: rows stream in, Cancel stops it, it can run again', async ({
  page,
}) => {
  // A bigger workload, so the sweep is still running when Cancel is pressed.
  await new Explorer(page).open('#preset=linux-boot-64g');
  await page.getByRole('button', { name: 'Sweep', exact: true }).click();
  const sheet = page.getByRole('region', { name: /Sweep/ });
  const status = sheet.getByRole('status');
  await expect(status).toContainText(/on \d+ workers?/);
  await sheet.getByRole('button', { name: 'Cancel sweep' }).click();
  await expect(status).toContainText(/Sweep cancelled after \d+ of 32 combinations/);
  await sheet.getByRole('button', { name: 'Run the sweep again' }).click();
  const table = sheet.getByRole('table', { name: 'Sweep results' });
  await expect(table.getByRole('row')).toHaveCount(33, { timeout: 60_000 });
  await expect(
    sheet.getByText(/32 combinations, final step, in \d+ ms on \d+ workers?/),
  ).toBeVisible();
});
