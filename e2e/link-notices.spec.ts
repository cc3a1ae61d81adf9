import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

/** A link the app had to repair or replace says so, in the app and in an embed. */

test('a step past the end opens the last step and says so', async ({ page }) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=99999');
  await expect(app.slider).toHaveValue('9');
  await expect(page.getByRole('status').filter({ hasText: 'needed repairs' })).toContainText(
    'step=99999',
  );
});

test('a link of a newer format says first that this build does not read it', async ({ page }) => {
  await new Explorer(page).open('#v=3&s=abc');
  const notice = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
  await expect(notice.getByRole('listitem').first()).toContainText(
    'link format version 3 is not supported by this build',
  );
});

test('an unknown compare kernel says what B runs under instead', async ({ page }) => {
  await page.goto('/?cmpKernel=bogus#preset=thread-2021');
  const sheet = page.getByRole('region', { name: 'Compare A/B' });
  await expect(sheet.getByRole('combobox', { name: 'B kernel design' })).toHaveValue(
    'upstream-2024',
  );
  await sheet.getByRole('button', { name: 'Close' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'This compare link needed repairs' }),
  ).toContainText('cmpKernel="bogus": not a kernel design, so B runs under upstream-2024');
});

test('an embed says, in one line, that its preset was not found and what it shows', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 960, height: 540 });
  await page.goto('/?embed=1#preset=nope');
  const notice = page.getByRole('alert');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('preset "nope" was not found');
  await expect(notice).toContainText('(thread-2021) is shown');
  const box = (await notice.boundingBox())!;
  expect(box.height).toBeLessThan(30); // one line of the stage's small type
  await expect(page.getByRole('img', { name: 'Host memory map' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('embed-preset-not-found.png') });
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
});

test('a compare embed names an unknown compare kernel', async ({ page }) => {
  await page.setViewportSize({ width: 960, height: 540 });
  await page.goto('/?embed=1&cmpKernel=bogus#preset=thread-2021');
  await expect(page.getByRole('status').filter({ hasText: 'compare link' })).toContainText(
    'cmpKernel="bogus": not a kernel design, so B runs under upstream-2024',
  );
});
