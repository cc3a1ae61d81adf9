/**
 * Issue 16: a warning is not a repair. A scenario that runs as given but with warnings (memory
 * that may not fit, a workload without profiles) says so in its own notice, once, and never
 * under "The scenario was repaired"; a repair (a step past the end) keeps its own notice.
 */
import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

const WARNINGS = 'The scenario loaded with warnings';
const REPAIRED = 'The scenario was repaired';

test('warnings vs repairs: an overcommitting edit warns once, in its own notice', async ({
  page,
}, info) => {
  await new Explorer(page).open('#preset=thread-2021');
  const guests = page
    .getByRole('region', { name: 'Scenario settings' })
    .getByRole('combobox', { name: 'Guests' });
  const warnings = page.getByRole('status').filter({ hasText: WARNINGS });
  await guests.selectOption('8');
  await expect(guests).toHaveValue('8');
  await expect(warnings).toHaveCount(1);
  await expect(warnings).toContainText('launches may fail for lack of memory');
  // The next edit has the same warning: the notice is replaced, not repeated.
  await guests.selectOption('16');
  await expect(guests).toHaveValue('16');
  await expect(warnings).toContainText('4G of guest memory');
  await expect(warnings).toHaveCount(1);
  await expect(page.getByText(REPAIRED)).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('warnings-notice.png') });
  // Back to what fits: the warning goes with the run it was about.
  await guests.selectOption('2');
  await expect(guests).toHaveValue('2');
  await expect(warnings).toHaveCount(0);
});

test('warnings vs repairs: a #src= file without profiles is a warning, a step past its end a repair', async ({
  page,
}) => {
  const scenario = {
    version: 1,
    title: 'No profiles',
    host: { ram: '4G' },
    kernel: 'upstream-2024',
    guests: [{ name: 'vm', memory: '256M', vcpus: 1, backing: 'thp', snp: true }],
    workload: { seed: 3, steps: 50 },
    events: [],
  };
  await page.route('**/no-profiles.json', (r) =>
    r.fulfill({ contentType: 'application/json', body: JSON.stringify(scenario) }),
  );
  const app = new Explorer(page);
  await page.goto('/#src=./no-profiles.json&step=900');
  await app.ready();
  const warnings = page.getByRole('status').filter({ hasText: WARNINGS });
  await expect(warnings).toContainText(
    'workload.profiles: missing; using the default mix linux-boot (weight 1) and virtio-io (weight 1)',
  );
  const repaired = page.getByRole('status').filter({ hasText: REPAIRED });
  await expect(repaired).toContainText('parameter step=900');
  await expect(repaired).not.toContainText('workload.profiles');
  await expect(warnings).toHaveCount(1);
  await expect(repaired).toHaveCount(1);
});
