import './helpers/hooks';
import { expect, type Page, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

/**
 * Editing the link in an open tab opens the new link's view: what it does not give takes its
 * default (step 0, the direct map, the whole host, no selection), never what the tab showed.
 */

const transform = (page: Page) => page.evaluate(() => window.__fracture!.map!.transform());

test('a hand-edited link to another preset opens at step 0, not the old step', async ({ page }) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=5');
  await expect(app.slider).toHaveValue('5');
  await page.evaluate(() => {
    window.location.hash = '#preset=linux-boot-64g';
  });
  await expect(app.preset).toHaveValue('linux-boot-64g');
  await app.ready();
  await expect(app.slider).toHaveValue('0');
  await expect(app.counters).toContainText('step 0');
  // The address bar keeps the link as edited: no step carried over.
  await page.waitForTimeout(400);
  expect(await app.hash()).toMatch(/^#preset=linux-boot-64g&m=\d+$/);
});

test('a hand-edited link drops the old layer, zoom and selection', async ({ page }, info) => {
  const app = await new Explorer(page).open(
    '#preset=thread-2021&step=4&layer=rmp&zoom=0x3e800000-0x3ec00000&sel=0x3e81f',
  );
  const layers = page.getByRole('radiogroup', { name: 'Map layer' });
  await expect(layers.getByRole('radio', { name: 'RMP' })).toBeChecked();
  await expect(page.getByRole('region', { name: 'Frame inspector' })).toBeVisible();
  const zoomed = (await transform(page)).k;

  await page.evaluate(() => {
    window.location.hash = '#preset=no-snp-baseline';
  });
  await expect(app.preset).toHaveValue('no-snp-baseline');
  await app.ready();
  await expect(app.slider).toHaveValue('0');
  await expect(layers.getByRole('radio', { name: 'Direct map' })).toBeChecked();
  await expect(page.getByRole('region', { name: 'Frame inspector' })).toHaveCount(0);
  // The whole 64 GiB host fitted, not the 4 MiB the old link zoomed to.
  await expect.poll(async () => (await transform(page)).k).toBeLessThan(zoomed / 20);
  await page.waitForTimeout(400);
  expect(await app.hash()).toMatch(/^#preset=no-snp-baseline&m=\d+$/);
  await app.shot(info, 'the new link, whole host');

  // What the new link does give is kept.
  await page.evaluate(() => {
    window.location.hash = '#preset=thread-2021&layer=vmm&step=2';
  });
  await expect(app.preset).toHaveValue('thread-2021');
  await expect(app.slider).toHaveValue('2');
  await expect(layers.getByRole('radio', { name: 'VMM mapping' })).toBeChecked();
});
