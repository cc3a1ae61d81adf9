/**
 * Issue 16: a run of outcomes that print the same line is one row of the outcome log
 * ("event ignored (guest not running) ×100,000"), so the handful of splits after it is not
 * buried; "ignored" has its own filter; a row shows its whole line (tooltip, and in full when
 * hovered) instead of being cut.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

const IGNORED = 100_000;

test('the outcome log collapses runs of the same outcome and filters "ignored"', async ({
  page,
}, info) => {
  test.setTimeout(90_000);
  const base = JSON.parse(
    readFileSync(new URL('../public/scenarios/thread-2021-upstream.json', import.meta.url), 'utf8'),
  ) as { events: unknown[]; captions?: unknown[] };
  // Before its launch every event of the guest is ignored; then the 2021 example runs.
  const early = Array.from({ length: IGNORED }, (_, i) => ({
    op: 'share',
    guest: 'vm',
    gpa: `0x${((i % 60_000) * 4096).toString(16)}`,
    size: '4K',
  }));
  const scenario = { ...base, title: 'Ignored, then split', events: [...early, ...base.events] };
  delete scenario.captions;
  await page.route('**/ignored.json', (r) =>
    r.fulfill({ contentType: 'application/json', body: JSON.stringify(scenario) }),
  );
  const app = new Explorer(page);
  const steps = IGNORED + base.events.length;
  await page.goto(`/#src=./ignored.json&step=${steps}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Ignored, then split', {
    timeout: 30_000,
  });
  await expect(app.counters).toContainText('DirectMap4k:', { timeout: 30_000 });
  await app.ready();
  const log = app.log;
  // The count is of outcomes; the rows are the runs.
  await expect(log.getByRole('heading')).toContainText(/\d{3},\d{3} up to step/);
  const run = log.getByRole('button', {
    name: /event ignored \(guest not running\) — 100,000 times/,
  });
  await expect(run).toBeVisible();
  await expect(run).toContainText('×100,000');
  await expect(run).toHaveAttribute('title', /100,000 times, steps 1–100,000$/);
  // The split is in view next to it, not 100,000 rows further down.
  const split = log.getByRole('button', { name: /direct map split/ }).first();
  await expect(split).toBeVisible();
  await expect(log.getByRole('button', { name: /event ignored/ })).toHaveCount(1);
  await app.shot(info, 'collapsed run of ignored events');

  // "ignored" is its own filter.
  const chip = log.getByRole('button', { name: 'ignored', exact: true });
  await expect(chip).toHaveAttribute('aria-pressed', 'true');
  await chip.click();
  await expect(chip).toHaveAttribute('aria-pressed', 'false');
  await expect(log.getByRole('button', { name: /event ignored/ })).toHaveCount(0);
  await expect(split).toBeVisible();

  // Every row carries its whole line; hovered, it is shown in full, not cut with "…".
  const rows = log.locator('.log-row[title]');
  const n = await rows.count();
  expect(n).toBeGreaterThan(3);
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    const title = (await row.getAttribute('title')) ?? '';
    const text = ((await row.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    expect(title.replace(/\s+/g, ' ')).toContain(text.replace(/^\[ *[\d,]+\] ?/, ''));
  }
  const longest = rows.nth(0);
  await longest.hover();
  const clipped = await longest
    .locator('.log-text')
    .evaluate((el) => el.scrollHeight > el.clientHeight + 1);
  expect(clipped).toBe(false);
});
