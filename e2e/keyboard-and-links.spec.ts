import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

test('keyboard only: step, play, jump, help overlay, radio group', async ({ page }, info) => {
  const app = await new Explorer(page).open();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(app.slider).toHaveValue('2');
  await page.keyboard.press('ArrowLeft');
  await expect(app.slider).toHaveValue('1');
  await page.keyboard.press('End');
  await expect(app.slider).toHaveValue(String(await app.maxStep()));
  await page.keyboard.press('Home');
  await expect(app.slider).toHaveValue('0');

  // Next RMP fault (f) lands on the step of the fault.
  await page.keyboard.press('f');
  await expect(app.slider).toHaveValue('4');
  await page.keyboard.press('Shift+S');
  await expect(app.slider).toHaveValue('2');

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard' });
  await expect(help).toBeVisible();
  // The map's two controls above it are in the sheet too (issue 15's follow and go-to).
  await expect(help.getByRole('row', { name: /Follow/ })).toContainText('Glide to where');
  await expect(help.getByRole('row', { name: /Go to/ })).toContainText('pfn 0x401f');
  await app.shot(info, 'help overlay');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await page.keyboard.press(' ');
  await expect(app.pause).toBeVisible();
  await page.keyboard.press(' ');
  await expect(app.play).toBeVisible();

  // Tab reaches the slider; its own arrows move it.
  await app.slider.focus();
  const before = Number(await app.slider.inputValue());
  await page.keyboard.press('ArrowRight');
  await expect(app.slider).toHaveValue(String(before + 1));

  // The backing radio group is reachable and operable from the keyboard.
  await app.backing.getByRole('radio', { name: 'THP', exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(app.backing.getByRole('radio', { name: 'hugetlbfs 2M' })).toBeChecked();
  await expect(app.counters.getByRole('row', { name: /Guests killed/ })).toBeVisible();
  await app.shot(info, 'after keyboard use');
});

test('keys do nothing while the user types in a field', async ({ page }) => {
  const app = await new Explorer(page).open('#preset=linux-boot-64g&step=5');
  const seed = page.getByRole('spinbutton', { name: 'Seed' });
  await seed.click();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press(' ');
  await page.keyboard.press('End');
  await page.keyboard.press('?');
  await expect(app.slider).toHaveValue('5');
  await expect(app.play).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Keyboard' })).toBeHidden();
});

test('a mangled link shows a clear message and the app still works', async ({ page }, info) => {
  const app = await new Explorer(page).open('#v=1&s=!!not-base64!!&step=zz');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('could not be loaded');
  await expect(alert).toContainText('s:');
  await expect(app.preset).toHaveValue('thread-2021');
  await app.shot(info, 'mangled link');
  await app.next.click();
  await expect(app.slider).toHaveValue('1');
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a link with a repairable problem names the repair', async ({ page }) => {
  const app = await new Explorer(page).open('#preset=thread-2021&backing=hugetlb&step=3');
  await expect(page.getByRole('status').filter({ hasText: 'repairs' })).toContainText('backing');
  expect(await app.step()).toBe(3);
});

test('editing the fragment by hand loads the new scenario', async ({ page }) => {
  const app = await new Explorer(page).open();
  await page.evaluate(() => {
    window.location.hash =
      '#preset=thread-2021&kernel=hugetlb-ban-2022&backing=hugetlbfs-2m&step=1';
  });
  await expect(app.kernel).toHaveValue('hugetlb-ban-2022');
  await expect(app.counters.getByRole('row', { name: /Launches refused/ })).toContainText('1');
});
