import './helpers/hooks';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { millionEventLink } from './helpers/million';
import { Explorer } from './pages/explorer';

/**
 * A worker that dies is said, within a second, with the way back (issue 13): the engine client
 * rejects every pending call and the session shows "The engine worker stopped: …" with a button
 * that reloads the run in a new worker; the tools worker the same during an import. Killed
 * through the test hooks (window.__fracture: terminate, then the worker's error event).
 */

test('the engine worker killed mid-run: the failed state within 1 s, and reload brings the run back', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const app = new Explorer(page);
  await page.goto(`/${millionEventLink(40)}`);
  // A million events: the first frame may take a while on a loaded machine.
  await expect(app.counters).toContainText('DirectMap4k:', { timeout: 30_000 });
  // Mid-run: the million events are still being applied in the background.
  const before = await page.evaluate(() => window.__fracture?.engine?.progress());
  expect(before && before.computed < before.steps).toBe(true);
  const pending = page.evaluate(() =>
    window.__fracture?.engine?.stepViews(1).then(
      () => 'answered',
      (e: Error) => e.name,
    ),
  );
  await page.evaluate(() => window.__fracture?.killEngine?.('killed mid-run by the test'));
  const alert = page.getByRole('alert').filter({ hasText: 'The engine worker stopped' });
  await expect(alert).toBeVisible({ timeout: 1000 });
  await expect(alert).toContainText('The engine worker stopped: killed mid-run by the test');
  await expect(page.getByRole('status').filter({ hasText: 'Running…' })).toHaveCount(0);
  // A call in flight when it died is rejected, not left waiting.
  expect(['answered', 'WorkerFailure']).toContain(await pending);
  expect(
    await page.evaluate(() =>
      window.__fracture?.engine?.progress().then(
        () => 'answered',
        (e: Error) => e.name,
      ),
    ),
  ).toBe('WorkerFailure');

  await alert.getByRole('button', { name: 'Reload the run' }).click();
  await expect(alert).toBeHidden();
  await expect(app.counters).toContainText('DirectMap4k:', { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'virtio I/O churn, 1,000,000 events',
  );
  // The same view: the link's step.
  expect(await app.step()).toBe(40);
  await expect
    .poll(async () => (await page.evaluate(() => window.__fracture?.engine?.progress()))?.computed)
    .toBeGreaterThan(40);
});

test('the tools worker killed during an import: the failed state within 1 s, and a restart imports again', async ({
  page,
}) => {
  const meminfo = readFileSync(
    new URL('../src/formats/import/fixtures/meminfo-x86.txt', import.meta.url),
    'utf8',
  );
  await new Explorer(page).open('#preset=thread-2021');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const sheet = page.getByRole('region', { name: 'Import data from a real machine' });
  await sheet.getByRole('textbox', { name: 'Text to import' }).fill(meminfo);
  // Kill in the same task as the click: the import's call is on its way to the worker.
  await sheet.getByRole('button', { name: 'Import', exact: true }).evaluate((b) => {
    (b as HTMLButtonElement).click();
    window.__fracture?.killTools?.('killed during an import by the test');
  });
  const alert = page.getByRole('alert').filter({ hasText: 'The tools worker stopped' });
  await expect(alert).toBeVisible({ timeout: 1000 });
  await expect(alert).toContainText('killed during an import by the test');
  await expect(sheet.getByText('Parsing in the tools worker…')).toHaveCount(0);

  await alert.getByRole('button', { name: 'Restart the tools worker' }).click();
  await expect(alert).toBeHidden();
  await sheet.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(sheet.getByRole('region', { name: 'Import result' })).toContainText('/proc/meminfo');
});
