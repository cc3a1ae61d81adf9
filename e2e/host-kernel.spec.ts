/**
 * The host kernel version is one control, like the design (issue 17; issue 14 "Kernel
 * versions"): the scenario's host.linux, its design's era marked, the RHEL 10 variant offered;
 * what the version changes is visible (from 6.15 /proc/vmstat prints the collapse counters and
 * set_memory_4k adds a cpa_flush), the link keeps it as `linux=`, and the Scenario panel says
 * which kernel runs. Also the link notices' headings (a preset link claims no older model; a
 * link that recorded its counters shows then and now).
 */

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

const hostKernel = (page: Page) => page.getByRole('combobox', { name: 'Host kernel' });
const scenarioPanel = (page: Page) => page.getByRole('region', { name: 'Scenario settings' });
/** The TLB flushes counter's value cell. */
const tlbFlushes = (app: Explorer) =>
  app.counters
    .getByRole('row', { name: /^TLB flushes/ })
    .locator('td.num')
    .first();

test('the host kernel picker shows the era, offers 6.12-rhel10, and 6.15 changes what it says', async ({
  page,
}) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=4');
  const picker = hostKernel(page);
  await expect(picker).toHaveValue('5.12');
  await expect(picker.locator('option:checked')).toHaveText("5.12 (design's era)");
  await expect(picker.locator('option[value="6.12-rhel10"]')).toHaveText(
    '6.12-rhel10 (6.15 rules)',
  );
  await expect(scenarioPanel(page)).toContainText("Host kernel: Linux 5.12 (the design's era)");
  // The SNP host's own splits (TMR, platform-status page, two launch-image regions) and the RFC's.
  await expect(app.counters).toContainText('direct_map_level2_splits 5');
  await expect(app.counters).not.toContainText('direct_map_level2_collapses');
  await expect(tlbFlushes(app)).toHaveText('5');

  await picker.selectOption('6.15');
  await expect(picker).toHaveValue('6.15');
  await expect(app.counters).toContainText('direct_map_level2_collapses 0');
  await expect(app.counters).toContainText('direct_map_level3_collapses 0');
  // [dm.cpa_flush]: set_memory_4k() adds one cpa_flush on top of each split's flush.
  await expect(tlbFlushes(app)).toHaveText('10');
  await expect(scenarioPanel(page)).toContainText('Host kernel: Linux 6.15 —');
  await expect(scenarioPanel(page)).toContainText('direct_map_level2/3_collapses');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('rerun on Linux 6.15');
  await expect.poll(() => app.hash()).toMatch(/^#preset=thread-2021&m=\d+&linux=6\.15&step=4$/);

  await picker.selectOption('6.12-rhel10');
  await expect.poll(() => app.hash()).toContain('linux=6.12-rhel10');
  await expect(app.counters).toContainText('direct_map_level2_collapses 0');

  // Back to the era: the override goes, the link is the preset's own again.
  await picker.selectOption('5.12');
  await expect.poll(() => app.hash()).toMatch(/^#preset=thread-2021&m=\d+&step=4$/);
  await expect(app.counters).not.toContainText('direct_map_level2_collapses');
});

test('a linux= link opens with that kernel picked; an edited scenario keeps its own', async ({
  page,
}) => {
  const app = await new Explorer(page).open('#preset=thread-2021&linux=6.12-rhel10&step=4');
  await expect(hostKernel(page)).toHaveValue('6.12-rhel10');
  await expect(app.counters).toContainText('direct_map_level3_collapses 0');
  await expect(scenarioPanel(page)).toContainText('Host kernel: Linux 6.12-rhel10');
  await expect(scenarioPanel(page)).toContainText('backported from 6.15');

  // An edit makes it a scenario; the kernel is then host.linux in the link's scenario.
  await scenarioPanel(page).getByRole('combobox', { name: 'Host RAM' }).selectOption('4G');
  await expect.poll(() => app.hash()).toMatch(/^#v=2&s=/);
  await expect(hostKernel(page)).toHaveValue('6.12-rhel10');
  await hostKernel(page).selectOption('6.1');
  await expect(hostKernel(page)).toHaveValue('6.1');
  await expect(app.counters).not.toContainText('direct_map_level2_collapses');
  const link = await app.hash();
  await page.goto('about:blank');
  await new Explorer(page).open(link);
  await expect(hostKernel(page)).toHaveValue('6.1');
});

test('a plain preset link claims no older model; one that recorded counters shows then and now', async ({
  page,
}) => {
  await new Explorer(page).open('#preset=thread-2021&step=4');
  await expect(page.getByText('made with an older model')).toHaveCount(0);

  await page.goto('about:blank');
  await new Explorer(page).open('#preset=thread-2021&m=1&c=2048-1046528-0&step=4');
  const notice = page.getByRole('status').filter({ hasText: 'made with an older model' });
  await expect(notice.getByRole('strong')).toHaveText('This link was made with an older model');
  const table = notice.getByRole('table', { name: 'Then and now' });
  const row4k = table.getByRole('row', { name: /DirectMap4k/ });
  await expect(row4k).toContainText('2,048 kB');
  // Today's model at step 4: the first 2 MiB, the SNP host's own four split regions and the
  // shared page's (6 × 2 MiB at 4K), less the RMP table's 6 MiB in 2M.
  await expect(row4k).toContainText('12,288 kB');
  await expect(table.getByRole('row', { name: /DirectMap2M/ })).toContainText('1,030,144 kB');
});

test('a link too long for the browser says so under its own heading, not an older model', async ({
  page,
}, info) => {
  const preset = JSON.parse(readFileSync('public/scenarios/thread-2021.json', 'utf8'));
  const big = {
    ...preset,
    workload: { seed: 1, steps: 3_000_000, profiles: [{ profile: 'virtio-io', weight: 1 }] },
  };
  const file = info.outputPath('big.json');
  writeFileSync(file, JSON.stringify(big));
  const url = execFileSync('npm', ['run', '--silent', 'sim', '--', 'url', file], {
    encoding: 'utf8',
    timeout: 60_000,
  }).trim();
  // As made with model 1 (no m=): the notice must not say so for a run that did not happen.
  const link = url.slice(url.indexOf('#')).replace(/&m=\d+/, '');
  await new Explorer(page).open(link);
  const alert = page.getByRole('alert').filter({ hasText: 'too many events' });
  await expect(alert.getByRole('strong')).toHaveText(
    "This link's scenario has too many events to run in the browser; showing the thread-2021 preset",
  );
  await expect(alert).toContainText('the browser runs at most 2,000,000');
  await expect(page.getByText('made with an older model')).toHaveCount(0);
});

for (const [width, height, least] of [
  [1024, 640, 180],
  [1024, 768, 250],
] as const) {
  test(`at ${width}×${height} the map keeps a usable height (≥ ${least} px)`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    const app = await new Explorer(page).open('#preset=thread-2021&step=4');
    await expect(app.map).toBeVisible();
    const box = await app.map.boundingBox();
    // Before: 130 px at 1024×640 and 174 at 1024×768 (the charts and a wrapped header took it).
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(least);
    // The header keeps to two rows with the host kernel control in it.
    const header = await page.locator('.app-header').boundingBox();
    expect(header?.height ?? 0).toBeLessThan(110);
  });
}
