import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

test('the default scenario opens on the 2021 thread example and plays to its end', async ({
  page,
}, info) => {
  const app = await new Explorer(page).open();
  await expect(app.map).toBeVisible();
  await expect(app.preset).toHaveValue('thread-2021');
  await expect(app.kernel).toHaveValue('rfc-2021');
  await expect(app.backing.getByRole('radio', { name: 'THP', exact: true })).toBeChecked();
  // Step 0: the first 2 MiB, the TMR's region and the platform-status page's, split when ccp and
  // kvm_amd loaded (snp.tmr, snp.fw_page).
  await expect(app.counters).toContainText('DirectMap4k:        6144 kB');
  expect(await app.step()).toBe(0);
  await app.shot(info, 'opened');

  const last = await app.maxStep();
  expect(last).toBeGreaterThan(4);
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('30');
  await app.play.click();
  await expect(app.pause).toBeVisible();
  await expect(app.play).toBeVisible({ timeout: 10_000 });
  expect(await app.step()).toBe(last);
  await expect(app.counters).toContainText(`step ${last}`);
  await expect(app.counters).toContainText('direct_map_level2_splits 5');
  await expect(app.log.getByRole('button', { name: /THP split: huge PMD/ })).toBeVisible();
  await expect.poll(() => app.hash()).toContain(`step=${last}`);
  await app.shot(info, 'played to the end');
});

test('a log line selects its step and explains the rule that fired', async ({ page }, info) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=4');
  expect(await app.step()).toBe(4);
  await app.log.getByRole('button', { name: /RMP violation/ }).click();
  await expect(app.explanation).toContainText('RMP check on a host write');
  await expect(app.explanation.getByRole('link')).toHaveAttribute('href', /^https:\/\//);
  await app.shot(info, 'explanation');
});
