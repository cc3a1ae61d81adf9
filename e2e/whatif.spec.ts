import { expect, test } from '@playwright/test';
import { meminfoLines, simRun } from './helpers/sim';
import { Explorer } from './pages/explorer';

test('THP → hugetlbfs in the 2021 example turns the THP split into a killed guest', async ({
  page,
}, info) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=4');
  const faultStep = 4;
  expect(await app.step()).toBe(faultStep);
  await expect(app.log.getByRole('button', { name: /THP split: huge PMD/ })).toBeVisible();
  await expect(app.counters.getByRole('row', { name: /THP splits/ })).toContainText('1');
  await expect(app.counters.getByRole('row', { name: /Guests killed/ })).toContainText('0');
  await app.shot(info, 'THP: split and retried');

  await app.chooseBacking('hugetlbfs 2M');
  await expect(app.backing.getByRole('radio', { name: 'hugetlbfs 2M' })).toBeChecked();
  // Same step, same kernel: now the write cannot be retried.
  await expect(app.counters.getByRole('row', { name: /Guests killed/ })).toContainText('1');
  await expect(app.counters.getByRole('row', { name: /THP splits/ })).toContainText('0');
  expect(await app.step()).toBe(faultStep);
  await expect(app.log.getByRole('button', { name: /SIGBUS|killed/i }).first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Guests' })).toContainText('killed');
  await expect.poll(() => app.hash()).toContain('backing=hugetlbfs-2m');
  expect(await app.hash()).toContain('preset=thread-2021');
  await app.shot(info, 'hugetlbfs: guest killed');

  // The link reproduces the run.
  await page.reload();
  await app.ready();
  await expect(app.backing.getByRole('radio', { name: 'hugetlbfs 2M' })).toBeChecked();
  await expect(app.counters.getByRole('row', { name: /Guests killed/ })).toContainText('1');
});

for (const step of [0, 2, 4, 9]) {
  test(`counters at step ${step} equal what the CLI prints`, async ({ page }) => {
    const cli = simRun(['thread-2021', '--step', String(step)]);
    const app = await new Explorer(page).open(`#preset=thread-2021&step=${step}`);
    await expect(app.counters).toContainText(`step ${step}`);
    for (const line of meminfoLines(cli.meminfo, true))
      await expect(app.counters).toContainText(line);
    await expect(app.counters).toContainText(
      `direct_map_level2_splits ${cli.vmstat.direct_map_level2_splits}`,
    );
    await expect(app.counters).toContainText(
      `direct_map_level3_splits ${cli.vmstat.direct_map_level3_splits}`,
    );
    const rows: [RegExp, number][] = [
      [/RMP faults/, cli.outcomes.rmp_faults],
      [/THP splits/, cli.outcomes.thp_splits],
      [/Guests killed/, cli.outcomes.guests_killed],
      [/Launches refused/, cli.outcomes.launches_refused],
      [/PSMASH/, cli.outcomes.psmash],
      [/TLB flushes/, cli.outcomes.tlb_flushes],
    ];
    for (const [name, value] of rows) {
      const cell = app.counters.getByRole('row', { name }).getByRole('cell').first();
      await expect(cell).toHaveText(value.toLocaleString('en-US'));
    }
  });
}

test('the hugetlbfs override gives the same counters as the CLI with --backing', async ({
  page,
}) => {
  const cli = simRun(['thread-2021', '--backing', 'hugetlbfs-2m', '--step', '4']);
  const app = await new Explorer(page).open('#preset=thread-2021&backing=hugetlbfs-2m&step=4');
  for (const line of meminfoLines(cli.meminfo, true))
    await expect(app.counters).toContainText(line);
  const killed = app.counters
    .getByRole('row', { name: /Guests killed/ })
    .getByRole('cell')
    .first();
  await expect(killed).toHaveText(String(cli.outcomes.guests_killed));
  expect(cli.outcomes.guests_killed).toBe(1);
});
