/**
 * Map benchmark (npm run bench): frame times while zooming and panning a 1 TiB host at 1920×1080,
 * long tasks, time to first map frame from a share URL, seek round trips in a million-event run,
 * long tasks while playing, and the gzip size of the JavaScript.
 * Prints one table. Numbers, not assertions: the targets are in the last column.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Page, test } from '@playwright/test';
import { millionEventLink } from '../e2e/helpers/million';
import '../e2e/helpers/hooks';

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
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

async function waitForMap(page: Page, timeout: number): Promise<void> {
  await page.getByRole('img', { name: 'Host memory map' }).waitFor({ timeout });
  await page.waitForFunction(() => window.__fracture?.map?.ready() === true, null, { timeout });
  await page.waitForFunction(() => window.__fracture?.map?.stats.firstDataFrameAt != null, null, {
    timeout,
  });
}

function bundleGzipKiB(): { js: number; files: number } {
  // BENCH_DIST: a build served from elsewhere (a preview of another outDir on BENCH_PORT).
  const dir = join(process.env.BENCH_DIST ?? join(process.cwd(), 'dist'), 'assets');
  let js = 0;
  let files = 0;
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.js')) continue;
    js += gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
    files++;
  }
  return { js: js / 1024, files };
}

/**
 * The JavaScript a fresh page fetches to open the default scenario and draw its map (the main
 * thread's chunks and the engine worker; not the lazy sheets nor the tools worker, which load on
 * use), gzip level 9 as bundleGzipKiB counts it.
 */
async function loadedGzipKiB(page: Page): Promise<{ js: number; files: number }> {
  const browser = page.context().browser();
  if (!browser) return { js: Number.NaN, files: 0 };
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p = await ctx.newPage();
  const sizes = new Map<string, Promise<number>>();
  p.on('response', (r) => {
    if (!r.url().endsWith('.js')) return;
    const n = r.body().then(
      (b) => gzipSync(b, { level: 9 }).length,
      () => 0,
    );
    sizes.set(r.url(), n);
  });
  await p.goto(new URL('/', page.url()).href);
  await waitForMap(p, 60_000);
  await p.waitForLoadState('networkidle');
  const all = await Promise.all(sizes.values());
  await ctx.close();
  return { js: all.reduce((a, n) => a + n, 0) / 1024, files: all.length };
}

/**
 * Play at 100 steps/s for 5 s from where the run is; long tasks as "count (max)". The controls
 * are found before the window opens: Playwright's role queries run on the page's main thread
 * (a walk of the whole DOM, ~100 ms under load) and are not the app's long tasks.
 */
async function playing(page: Page): Promise<string> {
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('100');
  const play = await page.getByRole('button', { name: 'Play' }).elementHandle();
  await page.evaluate(() => {
    window.__longTasks = [];
  });
  const t0 = await page.evaluate(() => performance.now());
  await play!.evaluate((b: HTMLButtonElement) => b.click());
  await page.waitForTimeout(5_000);
  const t1 = await page.evaluate(() => {
    (document.querySelector('button[aria-label="Pause"]') as HTMLButtonElement | null)?.click();
    return performance.now();
  });
  const long = (await page.evaluate(() => window.__longTasks ?? [])).filter(
    (t) => t.start >= t0 && t.start < t1,
  );
  if (process.env.BENCH_VERBOSE) console.log(JSON.stringify(long));
  const max = long.reduce((m, t) => Math.max(m, t.duration), 0);
  return `${long.length} (max ${ms(max)})`;
}

test('memory map: frame times, long tasks, first frame, seeks, bundle size', async ({ page }) => {
  const rows: [string, string, string][] = [];

  // 1. First frame from a share link of the default scenario.
  await observeLongTasks(page);
  await page.goto('/#preset=thread-2021&step=4');
  await waitForMap(page, 30_000);
  const first = await page.evaluate(() => window.__fracture!.map!.stats.firstDataFrameAt!);
  rows.push(['first map frame, share URL (thread-2021)', ms(first), '< 1500 ms']);

  // 2. The 1 TiB preset: run time in the worker, then zoom and pan for ~3 s.
  // A hash-only change would navigate within the same document: load a blank page first.
  await page.goto('about:blank');
  const t0 = Date.now();
  await page.goto('/#preset=many-guests-1t');
  await waitForMap(page, 240_000);
  const firstBig = await page.evaluate(() => window.__fracture!.map!.stats.firstDataFrameAt!);
  rows.push(['first map frame, share URL (many-guests-1t)', ms(firstBig), 'engine run included']);
  rows.push(['  (wall time to ready)', ms(Date.now() - t0), '']);
  await page.waitForTimeout(500);

  await page.evaluate(() => {
    window.__fracture!.map!.stats.reset();
    window.__longTasks = [];
    window.__rafGaps = [];
    let last = performance.now();
    const loop = (now: number) => {
      window.__rafGaps?.push(now - last);
      last = now;
      if (window.__rafGaps) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
  const canvas = page.getByRole('img', { name: 'Host memory map' });
  const box = (await canvas.boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  const end = Date.now() + 3_000;
  let phase = 0;
  while (Date.now() < end) {
    // Wheel in to 4K cells, drag around, wheel back out: what a presenter does.
    const inward = phase % 2 === 0;
    for (let i = 0; i < 14 && Date.now() < end; i++) {
      await page.mouse.wheel(0, inward ? -240 : 240);
      await page.waitForTimeout(16);
    }
    await page.mouse.down();
    for (let i = 0; i < 12 && Date.now() < end; i++) {
      await page.mouse.move(cx + 25 * i, cy + 12 * i * (inward ? 1 : -1));
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
    phase++;
  }
  const r = await page.evaluate(() => {
    const gaps = window.__rafGaps ?? [];
    delete window.__rafGaps;
    return {
      draws: [...window.__fracture!.map!.stats.drawMs],
      slow: window.__fracture!.map!.stats.slow,
      gaps,
      long: window.__longTasks ?? [],
    };
  });
  rows.push(['map draws during 3 s zoom/pan', String(r.draws.length), '']);
  if (process.env.BENCH_VERBOSE) console.log(JSON.stringify(r.slow), JSON.stringify(r.long));
  rows.push(['draw time p50', ms(pct(r.draws, 50)), '']);
  rows.push(['draw time p95', ms(pct(r.draws, 95)), '< 16.7 ms']);
  rows.push(['frame interval (rAF) p50', ms(pct(r.gaps.slice(1), 50)), '']);
  rows.push(['frame interval (rAF) p95', ms(pct(r.gaps.slice(1), 95)), '< 16.7 ms ideal']);
  const longMax = r.long.reduce((m, t) => Math.max(m, t.duration), 0);
  rows.push(['long tasks (> 50 ms) during zoom/pan', `${r.long.length} (max ${ms(longMax)})`, '0']);

  // 3. Playing the 1 TiB run: long tasks on the main thread.
  await page.evaluate(() => {
    window.__longTasks = [];
  });
  rows.push([
    'long tasks while playing (many-guests-1t, 100 steps/s, 5 s)',
    await playing(page),
    '0',
  ]);

  // 4. A million events: first frame, then seeks to random steps once the run is computed.
  await page.goto('about:blank');
  await page.goto(`/${millionEventLink()}`);
  await waitForMap(page, 240_000);
  const firstMillion = await page.evaluate(() => window.__fracture!.map!.stats.firstDataFrameAt!);
  rows.push([
    'first map frame, 1M-event share URL (virtio-churn-1h ×5)',
    ms(firstMillion),
    '< 1500 ms',
  ]);
  const t1 = Date.now();
  await page
    .getByRole('progressbar', { name: 'Run computed' })
    .waitFor({ state: 'detached', timeout: 290_000 });
  rows.push(['  (whole run computed after)', ms(firstMillion + Date.now() - t1), '']);
  // Then the worker places its checkpoints evenly (idle work): seek once it has.
  const t2 = Date.now();
  // (waitForFunction takes a promise for a truthy answer: the wait goes inside the page.)
  await page.evaluate(async () => {
    while ((await window.__fracture!.engine!.progress())?.settled !== true)
      await new Promise((r) => setTimeout(r, 100));
  });
  rows.push(['  (checkpoints placed after)', ms(Date.now() - t2), '']);
  const seeks = await page.evaluate(async () => {
    const e = window.__fracture!.engine!;
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const out: number[] = [];
    for (let i = 0; i < 30; i++) {
      const step = Math.floor(rnd() * 1_000_000);
      const t = performance.now();
      // What the app asks on a seek: the map snapshot and the counters (step and step − 1).
      await Promise.all([e.snapshot(step), e.stepViews(step)]);
      out.push(performance.now() - t);
    }
    return out;
  });
  rows.push([
    'seek, 1M-event run, random steps: median round trip',
    ms(pct(seeks, 50)),
    '< 100 ms',
  ]);
  rows.push(['seek, 1M-event run, random steps: p95 round trip', ms(pct(seeks, 95)), '< 100 ms']);
  await page.evaluate(() => {
    window.__longTasks = [];
  });
  rows.push(['long tasks while playing (1M events, 100 steps/s, 5 s)', await playing(page), '0']);

  // 5. JavaScript shipped.
  const l = await loadedGzipKiB(page);
  rows.push([
    `JS the app loads to open the default scenario (gzip, ${l.files} files)`,
    `${l.js.toFixed(1)} kB`,
    '< 300 kB',
  ]);
  const b = bundleGzipKiB();
  rows.push([
    `  all JS in dist/assets, lazy sheets and tools worker too (${b.files} files)`,
    `${b.js.toFixed(1)} kB`,
    '',
  ]);

  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  const line = (a: string, c: string, d: string) => `${a.padEnd(w0)}  ${c.padStart(w1)}  ${d}`;
  console.log(
    ['', line('map benchmark', 'value', 'target'), ...rows.map((x) => line(...x))].join('\n'),
  );
});
