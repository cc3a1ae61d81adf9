/**
 * The phone viewer (issue 15): a link opened on a 390 × 844 phone shows the map, the caption,
 * the step controls and the counters, read-only; authoring stays on the desktop.
 */
import { expect, test } from '@playwright/test';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test('a link opened on a phone shows map, caption, counters and step controls', async ({
  page,
}, info) => {
  await page.goto('/#preset=thread-2021&step=4');
  const map = page.getByRole('img', { name: 'Host memory map' });
  await expect(map).toBeVisible();
  const box = (await map.boundingBox())!;
  expect(box.width).toBeGreaterThanOrEqual(360);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await expect(page.getByRole('heading', { level: 1 })).toContainText("The 2021 thread's example");
  await expect(page.locator('.caption')).toContainText('RMP violation');
  const counters = page.getByRole('region', { name: 'Direct map counters' });
  await expect(counters).toContainText('DirectMap4k');
  await expect(counters).toContainText('step 4');
  // Authoring is the desktop's.
  await expect(page.getByRole('combobox', { name: 'Kernel design' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Export', exact: true })).toHaveCount(0);
  // Nothing wider than the screen.
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(wide).toBeLessThanOrEqual(390);
  await page.screenshot({ path: info.outputPath('phone-step-4.png'), fullPage: true });
  await info.attach('phone', {
    path: info.outputPath('phone-step-4.png'),
    contentType: 'image/png',
  });

  await page.getByRole('button', { name: 'Next step' }).tap();
  await expect(counters).toContainText('step 5');
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('step=5');
  await expect(page.locator('.caption')).toContainText('The same write again');
  await page.getByRole('button', { name: 'Previous step' }).tap();
  await expect(counters).toContainText('step 4');
});
