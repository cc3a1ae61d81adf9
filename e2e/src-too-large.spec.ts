/**
 * Issue 16, "Hostile or broken input": a `#src=` answer of 1 GB is refused as too large and the
 * page stays responsive — by its Content-Length before the body is read, and, without one, by a
 * capped stream that is cancelled past 128 MiB. The bytes that are read are parsed in the tools
 * worker, never on the main thread.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

const GiB = 1024 ** 3;
let server: Server;
let origin = '';
/** Bytes the streaming answers sent before the page stopped reading. */
const sent: Record<string, number> = {};

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const headers: Record<string, string> = {
      'access-control-allow-origin': '*',
      'content-type': 'application/json',
    };
    // /declared: says 1 GB up front; /chunked: says nothing, streams until the reader stops.
    if (req.url === '/declared.json') headers['content-length'] = String(GiB);
    res.writeHead(200, headers);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    chunk[0] = 0x7b; // "{" then spaces: JSON that never ends
    let n = 0;
    const key = req.url ?? '';
    sent[key] = 0;
    const pump = () => {
      while (n < 1024) {
        n++;
        sent[key] = n * chunk.length;
        if (!res.write(n === 1 ? chunk : chunk.fill(0x20, 0, 1)))
          return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => {
      n = 1024;
    });
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Long tasks on the page's main thread, in ms (PerformanceObserver, from the first script). */
async function watchLongTasks(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  return () =>
    page.evaluate(() =>
      Math.max(0, ...(window as unknown as { __longTasks: number[] }).__longTasks),
    );
}

for (const [what, path, why] of [
  ['a 1 GB Content-Length', '/declared.json', 'the file is too large: 1024.0 MiB'],
  [
    'a 1 GB streamed body without a length',
    '/chunked.json',
    'the file is too large: over 128.0 MiB',
  ],
] as const) {
  test(`a 1 GB #src= answer is refused as too large: ${what}`, async ({ page }, info) => {
    test.setTimeout(90_000);
    const app = await new Explorer(page).open('#preset=thread-2021');
    const longest = await watchLongTasks(page);
    await page.reload();
    await app.ready();
    const before = await longest();
    await page.evaluate((url) => {
      window.location.hash = `#src=${encodeURIComponent(url)}`;
    }, `${origin}${path}`);
    const alert = page.getByRole('alert').filter({ hasText: 'The scenario file is too large' });
    await expect(alert).toBeVisible({ timeout: 60_000 });
    await expect(alert).toContainText(why);
    // The page answers at once, and the run on screen is kept.
    await app.next.click();
    await expect(app.counters).toContainText('step 1');
    expect(await longest()).toBeLessThan(Math.max(400, before + 100));
    // Never read to the end: at most the cap and what was in flight.
    expect(sent[path] ?? 0).toBeLessThan(GiB / 2);
    await app.shot(info, `src too large ${path}`);
  });
}
