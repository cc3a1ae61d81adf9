import { expect, test } from '@playwright/test';
import { millionEventLink as millionEvents } from './helpers/million';
import { Explorer } from './pages/explorer';

test('a million-event link shows its first frame while the worker runs the rest, and plays meanwhile', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  const app = await new Explorer(page).open(millionEvents());
  const progress = page.getByRole('progressbar', { name: 'Run computed' });
  await expect(app.map).toBeVisible();
  await expect(progress).toBeVisible();
  expect(await app.maxStep()).toBe(1_000_000);
  const computed = async () => Number(await progress.getAttribute('aria-valuenow'));
  const first = await computed();
  expect(first).toBeLessThan(1_000_000);
  await expect(progress).toContainText(/running… \d+%/);
  await app.shot(info, 'first frame, run in progress');

  // Seeking past what is computed stops at the edge.
  await app.slider.fill('999999');
  const edge = await app.step();
  expect(edge).toBeLessThan(999_999);
  expect(edge).toBeGreaterThanOrEqual(first);

  // Playing goes on while the run is computed.
  await app.seek(1000);
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('1000');
  await app.play.click();
  await expect.poll(() => app.step(), { timeout: 20_000 }).toBeGreaterThan(1500);
  await expect.poll(computed, { timeout: 60_000 }).toBeGreaterThan(first);
  await app.pause.click();
  await app.shot(info, 'played while running');

  // Once done, the whole run answers, and the outcome log holds the later outcomes.
  await expect(progress).toBeHidden({ timeout: 200_000 });
  // A seek far from any checkpoint replays up to a few hundred thousand events (seconds here).
  await app.slider.fill('999999');
  await expect(app.counters).toContainText('step 999999', { timeout: 60_000 });
  await expect(app.log).toContainText(/[1-9][\d,]* up to step 999,999/);
  await app.shot(info, 'run computed, last step');
});

test('a link to a late step of a long run opens at that step', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new Explorer(page);
  await page.goto(`/${millionEvents(400_000)}`);
  // The worker answers once step 400,000 is computed (seconds here), and runs on.
  await expect(app.counters).toContainText('step 400000', { timeout: 90_000 });
  expect(await app.step()).toBe(400_000);
});

test('a run over a million events is generated as it goes: its digest shows once it is computed', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const app = await new Explorer(page).open(millionEvents(undefined, 1_200_000));
  const progress = page.getByRole('progressbar', { name: 'Run computed' });
  const digest = page.getByRole('region', { name: 'Scenario settings' }).locator('code');
  await expect(app.map).toBeVisible();
  expect(await app.maxStep()).toBe(1_200_000);
  // Not known before the last event is generated (the first frame did not wait for them all).
  await expect(progress).toBeVisible();
  await expect(digest).toHaveText('');
  await expect(progress).toBeHidden({ timeout: 200_000 });
  await expect(digest).toHaveText(/^fnv1a64:[0-9a-f]{4}/);
});
