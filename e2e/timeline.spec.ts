/**
 * Issue 18: a real recording opens as a timeline. The recorder (public/fracture-record.sh) runs
 * on this machine for a few seconds and its file is imported in the browser: the tracks show
 * this machine's /proc/meminfo DirectMap values. Recordings with ptdump frames and recorded
 * calls, a fleet answer, `#src=` links and bad input are checked with fixtures.
 */
import './helpers/hooks';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';
import { TimelineSheet } from './pages/timeline';

const fixture = (name: string) =>
  readFileSync(new URL(`../src/formats/import/fixtures/${name}`, import.meta.url));

/** DirectMap* of /proc/meminfo in kB, as the kernel prints them (arch_report_meminfo()). */
function directMap(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of readFileSync('/proc/meminfo', 'utf8').matchAll(/^(DirectMap\w+):\s+(\d+) kB$/gm))
    out[m[1]!] = Number(m[2]);
  return out;
}

test('fracture-record.sh on this machine: the tracks show its /proc/meminfo DirectMap values', async ({
  page,
}, info) => {
  const before = directMap();
  test.skip(
    Object.keys(before).length === 0,
    'this kernel prints no DirectMap lines in /proc/meminfo',
  );
  const out = join(mkdtempSync(join(tmpdir(), 'fracture-rec-')), 'host.frec');
  execFileSync(
    'sh',
    ['public/fracture-record.sh', '--duration', '3', '--interval', '1', '--output', out],
    {
      stdio: 'pipe',
      timeout: 20_000,
    },
  );
  const after = directMap();
  const text = readFileSync(out);
  expect(text.toString('utf8')).toMatch(/^# fracture-record 1\n/);
  const app = await new Explorer(page).open('#preset=thread-2021');
  const tl = new TimelineSheet(page);
  await tl.importFile('host.frec', text);
  await expect(tl.sheet).toContainText('fracture-record.sh recording');
  await expect(tl.sheet.getByRole('heading', { name: 'Timeline: host.frec' })).toBeVisible();
  // The cursor starts at the last sample: its values are this machine's (read before or after).
  for (const key of Object.keys(after)) {
    const shown = Number(await tl.value(key).getAttribute('data-value'));
    expect([before[key], after[key]], `${key} at the last sample`).toContain(shown);
  }
  const release = execFileSync('uname', ['-r']).toString().trim();
  await expect(tl.sheet).toContainText(`kernel_release=${release}`);
  await app.shot(info, 'timeline of this machine');
});

test('a recording with ptdump frames and recorded calls: map frame, deltas and who split what', async ({
  page,
}) => {
  await new Explorer(page).open('#preset=thread-2021');
  const tl = new TimelineSheet(page);
  await tl.importFile('x86-ptdump-trace.frec', fixture('frec/x86-ptdump-trace.frec'));
  const frame = tl.sheet.getByRole('region', { name: 'Map frame' });
  await expect(frame).toContainText('ptdump frame 1 of 1');
  await expect(frame.getByRole('img', { name: /Direct map at frame 1: 6 4K/ })).toBeVisible();
  const who = tl.sheet.getByRole('region', { name: 'Who split what' });
  await expect(who).toContainText('3 recorded call(s) by caller');
  const first = who.getByRole('row').nth(1);
  await expect(first).toContainText('bpf_prog_pack_alloc');
  await expect(first).toContainText('set_memory_rox');
  await first.locator('summary').click();
  await expect(first).toContainText('bpf_jit_binary_pack_alloc+134');
  // Scrub with the keyboard: Home is the first sample, its time in the readout.
  await tl.cursor.focus();
  await page.keyboard.press('Home');
  await expect(tl.cursor).toHaveAttribute('aria-valuenow', '0');
  await expect(tl.readout).toContainText('2026-12-03T08:30:08Z');
  await expect(tl.value('direct_map_level2_splits')).toHaveAttribute('data-value', '5');
});

test('a recording whose DirectMap4k grows: the changed value is marked at the cursor', async ({
  page,
}) => {
  const lines = ['# fracture-record 1', 'kernel_release=6.18.44'];
  for (let i = 0; i < 20; i++) {
    const splits = i < 10 ? 5 : 6;
    lines.push(
      `sample t=${i} wall=${1796286600 + i} DirectMap4k=${30720 + (splits - 5) * 2048} DirectMap2M=${2066432 - (splits - 5) * 2048} direct_map_level2_splits=${splits}`,
    );
  }
  lines.push('end t=20 wall=1796286620 samples=20 reason=complete', '');
  await new Explorer(page).open('#preset=thread-2021');
  const tl = new TimelineSheet(page);
  await tl.importFile('grow.frec', Buffer.from(lines.join('\n')));
  await tl.cursor.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await expect(tl.value('DirectMap4k')).toHaveText('32 MiB (+2 MiB)');
  await expect(tl.value('DirectMap4k')).toHaveClass(/changed/);
  await expect(tl.value('direct_map_level2_splits')).toHaveText('6 (+1)');
  await page.keyboard.press('ArrowRight');
  await expect(tl.value('DirectMap4k')).not.toHaveClass(/changed/);
});

test('a fleet answer ranks hosts by DirectMap4k share and opens one host on click', async ({
  page,
}) => {
  const result = [];
  for (let h = 0; h < 30; h++) {
    for (const [name, v] of [
      ['node_memory_DirectMap4k_bytes', (h + 1) * 2 * 1048576],
      ['node_memory_DirectMap2M_bytes', (100 - h) * 2 * 1048576],
    ] as const) {
      const values = [0, 1, 2].map((i) => [
        1796286600 + i * 300,
        String(v + (h === 7 && name.includes('4k') ? i * 40 * 1048576 : 0)),
      ]);
      result.push({ metric: { __name__: name, instance: `host-${h}:9100`, job: 'node' }, values });
    }
  }
  const answer = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
  await new Explorer(page).open('#preset=thread-2021');
  const tl = new TimelineSheet(page);
  await tl.importFile('fleet.json', Buffer.from(answer));
  await expect(tl.sheet).toContainText('30 hosts');
  const rows = tl.fleetTable.getByRole('row');
  await expect(rows.nth(1)).toContainText('host-7:9100');
  await expect(rows.nth(2)).toContainText('host-29:9100');
  await tl.sheet.getByRole('radio', { name: 'Growth of the share' }).check();
  await expect(rows.nth(1)).toContainText('host-7:9100');
  await expect(tl.sheet.getByRole('img', { name: /Small multiples/ })).toBeVisible();
  await tl.fleetTable.getByRole('button', { name: 'host-29:9100' }).click();
  await expect(tl.sheet).toContainText('Prometheus query_range');
  await expect(tl.value('DirectMap4k')).toHaveAttribute('data-value', String(30 * 2048));
  await tl.sheet.getByRole('button', { name: '← Back to the fleet' }).click();
  await expect(tl.fleetTable).toBeVisible();
});

test('a recording dropped on the import sheet, or pasted there, opens as a timeline', async ({
  page,
}) => {
  await new Explorer(page).open('#preset=thread-2021');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Import drop zone' })).toBeVisible();
  const text = fixture('frec/arm64-keys.frec').toString('utf8');
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'arm64.frec', { type: 'text/plain' }));
    const zone = document.querySelector('[aria-label="Import drop zone"]');
    zone?.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true }));
    zone?.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true }));
  }, text);
  const tl = new TimelineSheet(page);
  await expect(tl.sheet.getByRole('heading', { name: 'Timeline: arm64.frec' })).toBeVisible();
  // arm64's sizes in page-size order: 4k, 64k, 2M, 32M, 1G.
  await expect(tl.readout.locator('dd[data-key]')).toHaveCount(
    await tl.readout.locator('dd[data-key]').count(),
  );
  const keys = await tl.readout
    .locator('dd[data-key^="DirectMap"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
  expect(keys).toEqual([
    'DirectMap4k',
    'DirectMap64k',
    'DirectMap2M',
    'DirectMap32M',
    'DirectMap1G',
  ]);
  await tl.close();
  const imp = page.getByRole('region', { name: 'Import data from a real machine' });
  await imp
    .getByRole('textbox', { name: 'Text to import' })
    .fill(fixture('frec/x86-nogbpages.frec').toString('utf8'));
  await imp.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(tl.sheet.getByRole('heading', { name: 'Timeline: pasted text' })).toBeVisible();
  await expect(tl.sheet).toContainText('fracture-record.sh recording');
});

test('a #src= link to a recording opens it as a timeline, the explorer behind', async ({
  page,
}) => {
  await page.route('**/recordings/host.frec', (r) =>
    r.fulfill({
      body: fixture('frec/x86-this-host.frec').toString('utf8'),
      contentType: 'text/plain',
    }),
  );
  await page.goto(`#src=${encodeURIComponent('./recordings/host.frec')}`);
  const tl = new TimelineSheet(page);
  await expect(tl.sheet).toBeVisible();
  await expect(tl.value('DirectMap4k')).toHaveAttribute('data-value', '30720');
  await tl.close();
  await expect(page.getByRole('slider', { name: 'Step' })).toBeVisible();
});

test('bad input: each a clear message, and what was open stays', async ({ page }) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=3');
  const tl = new TimelineSheet(page);
  await tl.importFile('error.json', fixture('prometheus/error-bad-data.json'));
  await expect(tl.sheet.getByRole('alert')).toContainText('Prometheus answered with an error');
  await expect(tl.sheet.getByRole('alert')).toContainText('bad_data');
  await tl.close();
  const imp = page.getByRole('region', { name: 'Import data from a real machine' });
  await imp.getByLabel('Text to import: file').setInputFiles({
    name: 'empty.frec',
    mimeType: 'text/plain',
    buffer: Buffer.from('# fracture-record 1\nkernel_release=6.1\nsample t=1 wall=5 DirectMap4k=4'),
  });
  await expect(tl.sheet.getByRole('alert')).toContainText('the recording holds no whole sample');
  await tl.close();
  // A binary file that starts like a recording (a core dump renamed .frec): named as binary.
  await imp.getByLabel('Text to import: file').setInputFiles({
    name: 'core.frec',
    mimeType: 'application/octet-stream',
    buffer: Buffer.concat([
      Buffer.from('# fracture-record 1\nkernel_release=6.1\n'),
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 10]),
    ]),
  });
  await expect(tl.sheet.getByRole('alert')).toContainText('input looks like binary data');
  await tl.close();
  // Text that is no recording at all goes to the snapshot import, which names what it expected.
  await imp.getByLabel('Text to import: file').setInputFiles({
    name: 'notes.frec',
    mimeType: 'text/plain',
    buffer: Buffer.from('hello\nworld\n'),
  });
  await expect(imp.getByRole('alert')).toContainText('unrecognised input');
  // A 1 GiB recording (sparse: its header, then zeros) is refused by size before it is read.
  const big = join(mkdtempSync(join(tmpdir(), 'fracture-big-')), 'huge.frec');
  writeFileSync(big, '# fracture-record 1\n');
  truncateSync(big, 2 ** 30);
  await imp.getByLabel('Text to import: file').setInputFiles(big);
  await expect(tl.sheet.getByRole('alert')).toContainText(
    'huge.frec is 1024 MiB, over the 512 MiB',
  );
  await tl.close();
  await imp.getByRole('button', { name: 'Close' }).click();
  await expect(app.slider).toHaveValue('3');
  await expect(page).toHaveURL(/step=3/);
});

test('the import sheet links to the recorder with its one-line command', async ({
  page,
  request,
}) => {
  await new Explorer(page).open('#preset=thread-2021');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const link = page.getByRole('link', { name: 'Record your host' });
  await expect(link).toHaveAttribute('href', './fracture-record.sh');
  await expect(
    page.getByText('sh fracture-record.sh --duration 3600 --interval 10 --output host.frec'),
  ).toBeVisible();
  const body = await (await request.get('fracture-record.sh')).text();
  expect(body).toMatch(/^#!\/bin\/sh/);
});
