/**
 * Timeline benchmark in the browser (npm run bench; issue 18): a week of 1 s samples opened from
 * the import sheet's file input and scrubbed (frame p95 of the cursor), and a 10,000-host ×
 * 1-day × 5-minute Prometheus answer opened as the fleet view (time to its ranking, long tasks).
 * The files are written to the temp directory first (the same text as bench/timeline.ts's rows).
 * Prints one table; numbers, not assertions: the targets are in the last column.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page, test } from '@playwright/test';
import { fleetAnswerText, frecWeekText } from './timeline';

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
    __timelineFrames?: number[];
    __rafGaps?: number[];
  }
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'n/a');

async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.__longTasks?.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** Choose a file in the import sheet; resolves with the time the choice was made (page clock). */
async function importPath(page: Page, path: string): Promise<number> {
  // A fresh page each time: the same fragment again would not reload it.
  await page.goto('about:blank');
  await page.goto('./#preset=thread-2021');
  await page.getByRole('slider', { name: 'Step' }).waitFor();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const input = page.getByLabel('Text to import: file');
  await input.waitFor();
  const t0 = await page.evaluate(() => performance.now());
  await input.setInputFiles(path);
  return t0;
}

test('timeline: a week of 1 s samples and a 10,000-host fleet', async ({ page }) => {
  test.setTimeout(600_000);
  const rows: string[][] = [];
  const dir = tmpdir();
  const week = join(dir, 'fracture-bench-week.frec');
  writeFileSync(week, frecWeekText(Number(process.env.BENCH_FREC_SAMPLES ?? 604_800)));
  await observeLongTasks(page);

  const t0 = await importPath(page, week);
  const cursor = page.getByRole('slider', { name: 'Timeline cursor' });
  await cursor.waitFor({ timeout: 120_000 });
  await page.waitForFunction(() => (window.__timelineFrames?.length ?? 0) > 0);
  const opened = await page.evaluate((s) => performance.now() - s, t0);
  rows.push([
    'open a week of 1 s samples (604,800, file input → tracks)',
    ms(opened),
    '< 2000 ms (import)',
  ]);

  // Scrub: 300 pointer moves across the tracks, one per frame, as a user drags the cursor.
  const box = (await cursor.boundingBox())!;
  await page.evaluate(() => {
    window.__timelineFrames = [];
    window.__rafGaps = [];
    let last = performance.now();
    const tick = (t: number) => {
      window.__rafGaps?.push(t - last);
      last = t;
      if ((window.__rafGaps?.length ?? 0) < 100_000) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  for (let i = 0; i < 300; i++) {
    await page.mouse.move(box.x + 160 + ((box.width - 170) * i) / 299, box.y + 30);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  }
  const { draws, gaps } = await page.evaluate(() => ({
    draws: window.__timelineFrames ?? [],
    gaps: (window.__rafGaps ?? []).slice(1),
  }));
  rows.push([`scrub the week: cursor draw p95 (${draws.length} frames)`, ms(pct(draws, 95)), '']);
  rows.push([
    `scrub the week: frame interval p95 (${gaps.length} frames)`,
    ms(pct(gaps, 95)),
    '< 16 ms',
  ]);

  const fleet = join(dir, 'fracture-bench-fleet.json');
  writeFileSync(fleet, fleetAnswerText(Number(process.env.BENCH_FLEET_HOSTS ?? 10_000), 288));
  await page.evaluate(() => {
    window.__longTasks = [];
  });
  const f0 = await importPath(page, fleet);
  await page.getByRole('table', { name: 'Hosts ranked' }).waitFor({ timeout: 240_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  const fleetMs = await page.evaluate((s) => performance.now() - s, f0);
  const long = await page.evaluate(
    (s) => (window.__longTasks ?? []).filter((t) => t.start >= s).map((t) => t.duration),
    f0,
  );
  rows.push(['open a 10,000-host × 288-point answer as the fleet view', ms(fleetMs), '< 5000 ms']);
  rows.push([
    `  long tasks meanwhile: ${long.length}`,
    long.length ? `max ${ms(Math.max(...long))}` : 'none',
    'none > 200 ms',
  ]);
  const widths = [62, 22, 20];
  console.log(['benchmark', 'result', 'target'].map((x, i) => x.padEnd(widths[i]!)).join('  '));
  for (const r of rows) console.log(r.map((x, i) => x.padEnd(widths[i]!)).join('  '));
});
