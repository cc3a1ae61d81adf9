/**
 * Step keys after a mouse click (issue 16, "Work is never lost"): clicking a backing radio leaves
 * the focus on it, and → then steps instead of changing the backing; End and Space work there
 * too. Reached with Tab, the radio group keeps its arrows. The help sheet says so.
 */
import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

test('after clicking a backing radio, → steps, End goes to the end and Space plays', async ({
  page,
}) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=2');
  const thp = app.backing.getByRole('radio', { name: 'THP', exact: true });
  const huge = app.backing.getByRole('radio', { name: 'hugetlbfs 2M' });
  await huge.click();
  await expect(huge).toBeChecked();
  await expect(huge).toBeFocused();
  await app.ready();
  const start = await app.step();

  await page.keyboard.press('ArrowRight');
  await expect(app.slider).toHaveValue(String(start + 1));
  await page.keyboard.press('ArrowLeft');
  await expect(app.slider).toHaveValue(String(start));
  await expect(huge).toBeChecked(); // the backing did not change
  await expect(thp).not.toBeChecked();

  await page.keyboard.press('End');
  await expect(app.slider).toHaveValue(String(await app.maxStep()));
  await page.keyboard.press('Home');
  await expect(app.slider).toHaveValue('0');
  await page.keyboard.press(' ');
  await expect(app.pause).toBeVisible();
  await page.keyboard.press(' ');
  await expect(app.play).toBeVisible();
  await expect(huge).toBeChecked();
});

test('a radio group reached with Tab keeps its arrows', async ({ page }) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=2');
  const thp = app.backing.getByRole('radio', { name: 'THP', exact: true });
  const huge = app.backing.getByRole('radio', { name: 'hugetlbfs 2M' });
  await expect(thp).toBeChecked();
  // Tab until the checked radio of the group has the focus (the group is one tab stop).
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await thp.evaluate((el) => el === document.activeElement)) break;
  }
  await expect(thp).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(huge).toBeChecked();
  await expect(app.slider).toHaveValue('2');
});

test('the help sheet says where the step keys work', async ({ page }) => {
  await new Explorer(page).open();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard' });
  await expect(help).toContainText('after clicking a backing, → is the next step');
  await expect(help).toContainText('when you reach them with Tab');
});
