import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

const sheetOf = (page: Page) => page.getByRole('region', { name: 'Compare A/B' });

test('compare with B = hugetlbfs 2M on thread-2021: B kills its guest, A does not', async ({
  page,
}, info) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=9');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  const sheet = sheetOf(page);
  await sheet.getByRole('combobox', { name: 'B kernel design' }).selectOption('rfc-2021');
  await sheet.getByRole('combobox', { name: 'B backing' }).selectOption('hugetlbfs-2m');
  const counters = sheet.getByRole('table', { name: 'Compare counters' });
  const killed = counters.getByRole('row', { name: /Guests killed/ });
  await expect(killed.getByRole('cell')).toHaveText(['0', '1', '+1']);
  const guests = counters.getByRole('row').last();
  await expect(guests.getByRole('cell').nth(0)).not.toContainText('killed');
  await expect(guests.getByRole('cell').nth(1)).toContainText('killed');
  await expect(sheet.getByRole('img', { name: /Difference map at step 9/ })).toBeVisible();
  await expect(sheet.getByRole('list', { name: 'Difference map legend' })).toContainText(
    'split in both',
  );
  // The difference map takes the width of its column, not a fixed 512 px strip.
  const diffBox = (await sheet
    .getByRole('img', { name: /Difference map at step 9/ })
    .boundingBox())!;
  const figBox = (await sheet.locator('.compare-diff').boundingBox())!;
  expect(diffBox.width).toBeGreaterThanOrEqual(figBox.width - 4);
  expect(diffBox.width).toBeGreaterThan(600);
  await expect
    .poll(() => page.evaluate(() => window.location.search))
    .toContain('cmpBacking=hugetlbfs-2m');
  await app.shot(info, 'compare THP vs hugetlbfs');

  // One timeline drives both: before the write at step 4 nobody is killed.
  await sheet.getByRole('slider', { name: 'Compare step' }).fill('3');
  await expect(sheet.getByRole('img', { name: /at step 3/ })).toBeVisible();
  await expect(killed.getByRole('cell')).toHaveText(['0', '0', '0']);
  await sheet.getByRole('button', { name: 'Compare: next step' }).click();
  await expect(killed.getByRole('cell')).toHaveText(['0', '1', '+1']);
});

test('a compare link opens compare with B from the query string', async ({ page }, info) => {
  await page.goto('/?cmpKernel=upstream-2024&cmpBacking=thp#preset=thread-2021&step=9');
  const sheet = sheetOf(page);
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('combobox', { name: 'B kernel design' })).toHaveValue(
    'upstream-2024',
  );
  await expect(sheet.getByRole('table', { name: 'Compare counters' })).toContainText(
    'B: upstream-2024',
  );
  await expect(sheet.getByRole('img', { name: /Difference map/ })).toBeVisible();
  await page.screenshot({ path: info.outputPath('compare-link.png') });
  await sheet.getByRole('button', { name: 'Close' }).click();
  await expect(sheet).toBeHidden();
  await expect.poll(() => page.evaluate(() => window.location.search)).toBe('');
  expect(await page.evaluate(() => window.location.hash)).toContain('preset=thread-2021');
});

test('compare charts show both runs over the run; a click seeks A and B together', async ({
  page,
}, info) => {
  await page.goto('/?cmpKernel=rfc-2021&cmpBacking=hugetlbfs-2m#preset=thread-2021&step=9');
  const sheet = sheetOf(page);
  const chart = sheet.getByRole('img', {
    name: 'Splits and faults, A solid and B dashed, over the run; click to seek',
  });
  await expect(chart).toBeVisible();
  await expect(sheet.getByRole('img', { name: /Direct map by page size, A solid/ })).toBeVisible();
  // Both runs are drawn: one solid and one dashed path per series.
  await expect(chart.locator('path[style*="dasharray: 5"]')).toHaveCount(4);
  const killed = sheet
    .getByRole('table', { name: 'Compare counters' })
    .getByRole('row', { name: /Guests killed/ });
  await expect(killed.getByRole('cell')).toHaveText(['0', '1', '+1']);
  // Click at step 2 on the x axis (48 px margin left, 12 right; steps 0..9).
  const box = await chart.boundingBox();
  if (!box) throw new Error('chart has no box');
  await chart.click({ position: { x: 48 + ((box.width - 60) * 2) / 9, y: box.height / 2 } });
  await expect(sheet.getByRole('slider', { name: 'Compare step' })).toHaveValue('2');
  await expect(sheet.getByRole('img', { name: /Difference map at step 2/ })).toBeVisible();
  await expect(sheet.getByRole('columnheader', { name: 'at step 2' })).toBeVisible();
  await expect(killed.getByRole('cell')).toHaveText(['0', '0', '0']);
  // The explorer follows the one timeline (its link and the share dialog say step 2).
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('step=2');
  await page.screenshot({ path: info.outputPath('compare-charts.png') });
});

test('the difference map tells a 1G block split in A only, and 4K since boot, apart', async ({
  page,
}, info) => {
  // thread-2021 on a 4 GiB host (a typical e820: RAM remapped to 4-6 GiB, ZONE_NORMAL) with the
  // shared page in the guest's second GiB. The SNP host's TMR (unmovable, ZONE_NORMAL first) splits
  // the 1 GiB block at 4 GiB (direct_map_level3_splits 1); the block at 5 GiB, where the guest's
  // page lands, is 2M from boot in A only, because the RMP table's e820 reservation cuts it: two
  // blocks in all. Six 2M → 4K splits: TMR, three firmware/launch-image regions (the guest's 2 GiB
  // of pinned THP filled ZONE_NORMAL first, so its launch pages fall back to DMA32), the RFC's
  // pre-split, and the platform-status page. The baseline without SNP never splits.
  const file = info.outputPath('four-gib.json');
  writeFileSync(file, JSON.stringify(fourGiB()));
  // The command line's codec writes the link (the same one the app reads).
  const fragment = execFileSync(
    'npm',
    ['run', '--silent', 'sim', '--', 'url', file, '--step', '9'],
    {
      encoding: 'utf8',
    },
  ).trim();
  await page.goto(`/?cmpKernel=no-snp&cmpBacking=thp${fragment}`);
  const sheet = sheetOf(page);
  const legend = sheet.getByRole('list', { name: 'Difference map legend' });
  await expect(legend).toContainText('1G block split to 2M in A, not B (blocks): 2');
  await expect(legend).toContainText('1G block split to 2M in B, not A (blocks): 0');
  await expect(legend).toContainText('split to 4K in A, not B: 6');
  // The first 2 MiB (real-mode trampoline, BIOS) is 4K from boot on both sides: not a split.
  await expect(legend).toContainText('4K at boot: 1');
  await expect(legend).toContainText('split in both: 0');
  const level3 = sheet
    .getByRole('table', { name: 'Compare counters' })
    .getByRole('row', { name: /direct_map_level3_splits/ });
  await expect(level3.getByRole('cell')).toHaveText(['1', '0', '−1']);
  // Side by side shows both maps of the same step.
  await sheet.getByRole('radio', { name: 'Side by side' }).check();
  await expect(
    sheet.getByRole('img', { name: /^A \(rfc-2021 · THP\) memory map at step 9/ }),
  ).toBeVisible();
  await expect(
    sheet.getByRole('img', { name: /^B \(no-snp · THP\) memory map at step 9/ }),
  ).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.location.search)).toContain('cmpView=side');
  await page.screenshot({ path: info.outputPath('compare-side-by-side.png') });
});

interface ScenarioJson {
  title: string;
  captions: unknown[];
  host: { ram: string };
  guests: { memory: string }[];
  events: { op: string; gpa?: string }[];
}

function fourGiB(): ScenarioJson {
  const s = JSON.parse(
    readFileSync(new URL('../public/scenarios/thread-2021.json', import.meta.url), 'utf8'),
  ) as ScenarioJson;
  s.host.ram = '4G';
  s.title = 'thread-2021 on a 4 GiB host';
  s.captions = [];
  s.guests[0]!.memory = '2G';
  for (const e of s.events) {
    if (e.gpa === '0x1f000') e.gpa = '0x7001f000';
    if (e.op === 'accept') e.gpa = '0x70000000';
  }
  return s;
}
