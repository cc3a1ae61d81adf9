/**
 * Issue 16, "Work is never lost": a downloaded scenario JSON opens in the app as the same run —
 * from the import sheet's file picker, dropped on the page or pasted — validated with the CLI's
 * per-field messages; a file that fails opens repaired, with every error and fix named.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { Explorer } from './pages/explorer';
import { ShareDialog } from './pages/share-export';

/** The downloaded scenario of a preset, and the digest the scenario panel shows for its run. */
async function download(page: Page, fragment: string) {
  const app = await new Explorer(page).open(fragment);
  const digest = await page
    .getByRole('region', { name: 'Scenario settings' })
    .locator('code')
    .textContent();
  const title = await page.getByRole('heading', { level: 1 }).textContent();
  const share = await new ShareDialog(page).open();
  const wait = page.waitForEvent('download');
  await share.dialog.getByRole('button', { name: 'Download scenario JSON' }).click();
  const file = await wait;
  const path = await file.path();
  await page.keyboard.press('Escape');
  return { app, digest, title, name: file.suggestedFilename(), json: readFileSync(path, 'utf8') };
}

/** The same run: the same scenario digest, and the file's title (a rerun's title says more). */
async function expectRun(page: Page, want: { digest: string | null; json: string }) {
  const title = (JSON.parse(want.json) as { title: string }).title;
  await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
  await expect(page.getByRole('region', { name: 'Scenario settings' }).locator('code')).toHaveText(
    want.digest ?? '',
  );
}

test('open a downloaded scenario file: the import sheet’s file picker opens the same run', async ({
  page,
}, info) => {
  const d = await download(page, '#preset=thread-2021&kernel=upstream-2024&step=3');
  expect(d.name).toMatch(/\.fracture\.json$/);
  await page.goto('/#preset=linux-boot-64g');
  await d.app.ready();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const sheet = page.getByRole('region', { name: 'Import data from a real machine' });
  await sheet.getByLabel('Text to import: file').setInputFiles({
    name: d.name,
    mimeType: 'application/json',
    buffer: Buffer.from(d.json),
  });
  await expect(sheet).toBeHidden();
  await expectRun(page, d);
  await d.app.ready();
  await expect(page.getByText('unrecognised input')).toHaveCount(0);
  await d.app.shot(info, 'downloaded scenario opened');
});

test('open a downloaded scenario file: dropped on the page or pasted, it opens the same run', async ({
  page,
}) => {
  const d = await download(page, '#preset=thread-2021-sequester');
  await page.goto('/#preset=linux-boot-64g');
  await d.app.ready();
  const dt = await page.evaluateHandle(
    ([json, name]) => {
      const t = new DataTransfer();
      t.items.add(new File([json], name, { type: 'application/json' }));
      return t;
    },
    [d.json, d.name] as const,
  );
  await page.dispatchEvent('main', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
  await expectRun(page, d);

  await page.goto('/#preset=linux-boot-64g');
  await d.app.ready();
  await page.evaluate((json) => {
    const t = new DataTransfer();
    t.setData('text/plain', json);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: t, bubbles: true }));
  }, d.json);
  await expectRun(page, d);
});

test('open a scenario file that fails: the CLI’s messages and the repaired run', async ({
  page,
}, info) => {
  const d = await download(page, '#preset=thread-2021');
  const bad = JSON.parse(d.json) as { guests: { backing: string }[]; host: { ram: string } };
  bad.guests[0]!.backing = 'bogus';
  const text = JSON.stringify(bad, null, 2);
  const path = info.outputPath('bad.json');
  writeFileSync(path, text);
  // What `sim run` prints for the same file: its per-field messages after the file's name.
  const cli = spawnSync('npm', ['run', '--silent', 'sim', '--', 'run', path], {
    encoding: 'utf8',
  });
  expect(cli.status).not.toBe(0);
  const lines = cli.stderr
    .trim()
    .split('\n')
    .map((l) => l.replace(/^sim run: /, '').replace(path, 'bad.json'));
  expect(lines[0]).toMatch(/^bad\.json: guests\[0\]\.backing: found "bogus"/);

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const sheet = page.getByRole('region', { name: 'Import data from a real machine' });
  await sheet.getByLabel('Text to import: file').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await expect(sheet).toBeHidden();
  const notice = page
    .getByRole('status')
    .filter({ hasText: 'The scenario file bad.json needed repairs to load' });
  for (const line of lines) await expect(notice).toContainText(line);
  await expect(notice).toContainText('repaired: ');
  await d.app.ready();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(d.title ?? '');
  await d.app.shot(info, 'repaired scenario file');
});
