import { expect, test } from '@playwright/test';

test('the app boots the engine in a worker and shows /proc/meminfo counters', async ({ page }) => {
  await page.goto('/');
  const counters = page.getByRole('region', { name: 'Direct map counters' });
  await expect(counters).toContainText('DirectMap4k:        2048 kB');
  await expect(counters).toContainText('DirectMap1G:    66060288 kB');
});
