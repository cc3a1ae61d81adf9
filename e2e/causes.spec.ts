/**
 * The UI of issue 17 on the causes presets: the map coloured by cause with a legend that names
 * each cause and marks proposals; the inspector's "why is this region split"; the "Where does
 * DirectMap4k come from" panel, whose rows sum to /proc/meminfo and match `sim run --by-cause`;
 * host-only scenarios and host events in the log.
 */
import { execFileSync } from 'node:child_process';
import { expect, type Page, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

const panel = (page: Page) =>
  page.getByRole('region', { name: 'Where does DirectMap4k come from' });
const legend = (page: Page) => page.getByRole('region', { name: 'Map legend' });

/** `sim run <preset> --json` at a step: byCause and meminfo, as the CLI prints them. */
function simRun(preset: string, step: number) {
  const out = execFileSync(
    'npm',
    ['run', '--silent', 'sim', '--', 'run', preset, '--json', '--step', String(step)],
    { encoding: 'utf8', timeout: 120_000 },
  );
  return JSON.parse(out) as {
    meminfo: { DirectMap4k: number; DirectMap2M: number; DirectMap1G: number };
    byCause: { cause: string; directMap4kKb: number; level2Splits: number }[];
  };
}

/** The panel's rows as numbers: cause id (and "total") → [4k, 2M, 1G] kB. */
async function rows(page: Page): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const tr of await panel(page).locator('tr[data-cause]').all()) {
    const id = (await tr.getAttribute('data-cause')) ?? '';
    const cells = await tr.locator('td').allTextContents();
    out.set(
      id,
      cells.map((c) => Number(c.replace(/,/g, ''))),
    );
  }
  return out;
}

/** The counters panel's /proc/meminfo lines as numbers. */
async function meminfo(page: Page): Promise<number[]> {
  const text =
    (await page.getByRole('region', { name: 'Direct map counters' }).textContent()) ?? '';
  return ['DirectMap4k', 'DirectMap2M', 'DirectMap1G'].map((k) =>
    Number(new RegExp(`${k}:\\s*(\\d+) kB`).exec(text)?.[1] ?? Number.NaN),
  );
}

test('bpf-sockex1-v5.17: the DirectMap4k panel sums to /proc/meminfo and matches sim run --by-cause', async ({
  page,
}) => {
  const app = await new Explorer(page).open('#preset=bpf-sockex1-v5.17&step=5');
  await expect(panel(page)).toContainText('step 5');
  await expect(panel(page)).toContainText('BPF JIT');
  await expect(panel(page)).toContainText('the rows sum to it');
  const got = await rows(page);
  const total = got.get('total')!;
  got.delete('total');
  expect(total).toEqual(await meminfo(page));
  for (const col of [0, 1, 2])
    expect([...got.values()].reduce((s, r) => s + r[col]!, 0)).toBe(total[col]);
  const cli = simRun('bpf-sockex1-v5.17', 5);
  expect(total).toEqual([
    cli.meminfo.DirectMap4k,
    cli.meminfo.DirectMap2M,
    cli.meminfo.DirectMap1G,
  ]);
  for (const r of cli.byCause) expect(got.get(r.cause)?.[0]).toBe(r.directMap4kKb);
  // The published v5.17 growth: about 1.5 GiB of DirectMap4k from BPF alone.
  expect(got.get('bpf')![0]).toBeGreaterThan(1_400_000);
  // A host-only story: no guests, so no backing to pick.
  await expect(app.backing.getByRole('radio', { name: 'THP', exact: true })).toBeDisabled();
  // The step's narration and the log read as host events.
  await expect(page.getByText('2048 programs, one RO+X JIT page each').first()).toBeVisible();
  await expect(app.log).toContainText('x86/mm: direct map split 2M→4K');
  await expect(app.counters).toContainText('bpf-load: 2,048 programs');
});

test('the map coloured by cause names each cause in its legend, and comes back by state', async ({
  page,
}) => {
  await new Explorer(page).open('#preset=snp-host-causes&step=9');
  const toggle = page.getByRole('radiogroup', { name: 'Colour the map by' });
  await expect(legend(page)).toContainText('hypervisor-owned');
  await toggle.getByText('cause').click();
  // Every cause the DirectMap4k panel lists (those with a share at this step) is in the legend.
  const names = await panel(page)
    .locator('tbody th')
    .evaluateAll((ths) => ths.map((th) => th.childNodes[0]?.textContent ?? ''));
  expect(names).toEqual(expect.arrayContaining(['boot layout', 'Kernel text/rodata']));
  expect(names.some((n) => n.startsWith('Modules'))).toBe(true);
  for (const name of names) await expect(legend(page)).toContainText(name);
  await expect(legend(page)).toContainText('SEV-SNP (upstream-2024)');
  await expect(legend(page)).toContainText('faded: not split');
  await expect(legend(page)).not.toContainText('hypervisor-owned');
  // The canvas keeps its size (a dock that toggled its scrollbar cleared it ~10 times a second).
  const canvas = page.getByRole('img', { name: /Host memory map/ });
  const h = await canvas.evaluate((c) => (c as HTMLCanvasElement).height);
  await page.waitForTimeout(500);
  expect(await canvas.evaluate((c) => (c as HTMLCanvasElement).height)).toBe(h);
  await toggle.getByText('state').click();
  await expect(legend(page)).toContainText('hypervisor-owned');
});

test('an SNP design that was never merged is labelled a proposal by cause', async ({ page }) => {
  await new Explorer(page).open('#preset=thread-2021&step=4');
  await page.getByRole('radiogroup', { name: 'Colour the map by' }).getByText('cause').click();
  await expect(legend(page)).toContainText('SEV-SNP (rfc-2021) (proposal)');
  await expect(panel(page)).toContainText('SEV-SNP (rfc-2021) (proposal)');
});

test('proposals-unmapped: guest_memfd NO_DIRECT_MAP is labelled a proposal in legend, panel and caption', async ({
  page,
}) => {
  await new Explorer(page).open('#preset=proposals-unmapped&step=1');
  await expect(
    page.getByRole('paragraph').filter({ hasText: /^Proposal \(guest_memfd NO_DIRECT_MAP\)/ }),
  ).toBeVisible();
  await page.getByRole('radiogroup', { name: 'Colour the map by' }).getByText('cause').click();
  await expect(legend(page)).toContainText('guest_memfd NO_DIRECT_MAP (proposal)');
  await expect(panel(page)).toContainText('guest_memfd NO_DIRECT_MAP (proposal)');
});

test('the inspector says why a region is split, by what call, at which step, and if it heals', async ({
  page,
}) => {
  // 0x48600000 is split by the 2048 BPF programs at step 5 (sim run bpf-sockex1-v5.17 --log 3).
  await new Explorer(page).open('#preset=bpf-sockex1-v5.17&step=5&sel=0x48600');
  const why = page.getByRole('region', { name: 'Frame inspector' });
  await expect(why.getByRole('heading', { name: 'Why is it split?' })).toBeVisible();
  const pmd = why.getByLabel('2 MiB region split to 4K by');
  await expect(pmd).toContainText('BPF JIT');
  await expect(pmd).toContainText('at step 5');
  await expect(pmd).toContainText('bpf.jit');
  await expect(pmd).toContainText('no: nothing collapses it on this kernel');
  await expect(pmd.locator('code').first()).toHaveText(/^set_memory_\w+\(\)$/);
});

test('modules on 6.15 can heal, on 6.12 they never do', async ({ page }) => {
  await new Explorer(page).open('#preset=modules-6.15');
  const modules = () =>
    panel(page)
      .locator('tbody')
      .filter({ has: page.locator('tr[data-cause="module"]') });
  await expect(modules()).toContainText('can heal');
  await page.goto('about:blank');
  await new Explorer(page).open('#preset=modules-6.12');
  await expect(modules()).toContainText('never heals');
});
