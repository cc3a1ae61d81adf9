/**
 * Issue 16, "Work is never lost": five scenario edits in quick succession while a long run
 * computes all stick — host RAM and guest count no longer go back to what the first run had.
 */
import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

test('rapid edits: five scenario edits while a long run computes are all kept', async ({
  page,
}, info) => {
  test.setTimeout(90_000);
  const app = await new Explorer(page).open('#preset=virtio-churn-1h');
  const panel = page.getByRole('region', { name: 'Scenario settings' });
  const ram = panel.getByRole('combobox', { name: 'Host RAM' });
  const guests = panel.getByRole('combobox', { name: 'Guests' });
  const memory = panel.getByRole('combobox', { name: 'Guest memory' });
  const steps = panel.getByRole('combobox', { name: 'Workload steps' });
  const gbpages = panel.getByRole('checkbox', { name: '1G pages (gbpages)' });
  const seed = panel.getByRole('spinbutton', { name: 'Seed' });
  // A run long enough to still be computing while the edits are made.
  await steps.selectOption('1000000');
  await expect(steps).toHaveValue('1000000');
  await expect(panel).toContainText('so far');
  const wasGbpages = await gbpages.isChecked();

  // Five edits, none waiting for the run before it.
  await ram.selectOption('256G');
  await guests.selectOption('4');
  await memory.selectOption('1G');
  // Controlled by the run on screen: it shows its new state once the edit has run.
  await gbpages.click();
  await seed.fill('7');
  await seed.press('Enter');

  await expect(page.getByRole('status').filter({ hasText: 'Running the scenario' })).toHaveCount(
    0,
    { timeout: 30_000 },
  );
  await expect(ram).toHaveValue('256G');
  await expect(guests).toHaveValue('4');
  await expect(memory).toHaveValue('1G');
  await expect(gbpages).toBeChecked({ checked: !wasGbpages });
  await expect(seed).toHaveValue('7');
  await expect(steps).toHaveValue('1000000');
  await expect(page.getByRole('region', { name: 'Guests' }).getByRole('heading')).toHaveText(
    'Guests 4',
  );
  await app.shot(info, 'five edits kept');
  // And the link carries them: a reload opens the same scenario.
  await page.waitForTimeout(500);
  await page.reload();
  await app.ready();
  await expect(ram).toHaveValue('256G');
  await expect(guests).toHaveValue('4');
});
