import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

test('hovering a run chart reads out the step and values under the pointer; the keyboard moves it and Enter seeks', async ({
  page,
}, info) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=2');
  const last = await app.maxStep();
  const chart = page.getByRole('img', { name: 'Splits and faults over the run; click to seek' });
  await expect(chart).toBeVisible();
  const box = (await chart.boundingBox())!;
  // The plot spans x = 48 … width − 12 (chart-core MARGIN) over steps 0 … last.
  const xOf = (step: number) => 48 + ((box.width - 60) * step) / last;
  await page.mouse.move(box.x + xOf(last), box.y + box.height / 2);
  const readout = page.locator('.chart-readout');
  await expect(readout).toBeVisible();
  await expect(readout).toContainText(`step ${last}`);
  for (const label of ['splits', 'RMP faults', 'THP splits', 'killed'])
    await expect(readout).toContainText(label);
  // At the last step of the 2021 example the THP split has happened: one split in the readout.
  await expect(readout.locator('.chart-readout-row', { hasText: 'THP splits' })).toContainText('1');
  await expect(chart.locator('.chart-guide')).toHaveCount(1);
  await app.shot(info, 'chart readout');

  await page.mouse.move(box.x + xOf(0) + 1, box.y + box.height / 2);
  await expect(readout).toContainText('step 0');
  await expect(readout.locator('.chart-readout-row', { hasText: 'THP splits' })).toContainText('0');
  await page.mouse.move(0, 0);
  await expect(readout).toBeHidden();

  // Keyboard: focus shows the readout at the current step; arrows move it; Enter seeks there.
  await chart.focus();
  await expect(readout).toContainText('step 2');
  await page.keyboard.press('ArrowRight');
  await expect(readout).toContainText('step 3');
  expect(await app.step()).toBe(2);
  await page.keyboard.press('End');
  await expect(readout).toContainText(`step ${last}`);
  await page.keyboard.press('Enter');
  await expect.poll(() => app.step()).toBe(last);
  await app.shot(info, 'chart keyboard');
});

test('the guest list shows every guest of a 96-guest host, scrolling past the first screenful', async ({
  page,
}, info) => {
  test.setTimeout(90_000);
  const app = new Explorer(page);
  await page.goto('/#preset=many-guests-1t');
  await expect(app.counters).toContainText('DirectMap4k:', { timeout: 60_000 });
  const guests = page.getByRole('region', { name: 'Guests', exact: true });
  await expect(guests).toContainText('96');
  const all = guests.getByRole('region', { name: 'All 96 guests' });
  await expect(all.getByRole('rowheader', { name: /^vm00\b/ })).toBeVisible();
  // Only the rows in view (and a few more) are in the DOM.
  expect(await all.getByRole('rowheader').count()).toBeLessThan(40);
  await expect(all.getByRole('rowheader', { name: /^vm95\b/ })).toHaveCount(0);
  await all.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(all.getByRole('rowheader', { name: /^vm95\b/ })).toBeVisible();
  await expect(all.getByRole('rowheader', { name: /^vm50\b/ })).toHaveCount(0);
  await expect(page.getByText(/and \d+ more/)).toHaveCount(0);
  await app.shot(info, 'guest list scrolled to the last guest');
});
