/**
 * Issue 18: Prometheus and node_exporter. With a real Prometheus scraping this machine's
 * node_exporter (helpers/prometheus.ts), its query_range answer imports as this host's timeline
 * and a live `#prom=` link opens the same; without one the live tests skip (CI=true: fail).
 * An unreachable server and one that refuses the page's origin (CORS) need no Prometheus.
 */
import './helpers/hooks';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page, test } from '@playwright/test';
import { type PromServer, startPrometheus } from './helpers/prometheus';
import { Explorer } from './pages/explorer';
import { TimelineSheet } from './pages/timeline';

const QUERY = '{__name__=~"node_memory_DirectMap.+_bytes|node_vmstat_direct_map_.+"}';

function proc(file: string, re: RegExp): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of readFileSync(file, 'utf8').matchAll(re)) out[m[1]!] = Number(m[2]);
  return out;
}
const meminfo = () => proc('/proc/meminfo', /^(DirectMap\w+):\s+(\d+) kB$/gm);
const vmstat = () => proc('/proc/vmstat', /^(direct_map_\w+) (\d+)$/gm);

/** Every securitypolicyviolation of the page (the CSP must let the page ask the server). */
async function recordViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

test.describe('a live Prometheus scraping this machine', () => {
  test.describe.configure({ mode: 'serial' });
  let prom: PromServer | null = null;
  let skip = '';

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    const r = await startPrometheus();
    if ('skip' in r) skip = r.skip;
    else prom = r;
  });
  test.afterAll(() => prom?.stop());
  test.beforeEach(() => test.skip(prom === null, skip));

  const range = (p: PromServer, q = QUERY) => {
    const end = Math.floor(Date.now() / 1000);
    return `${p.url}/api/v1/query_range?query=${encodeURIComponent(q)}&start=${end - 120}&end=${end}&step=1`;
  };

  test('its query_range answer imports as this host: /proc/meminfo and /proc/vmstat values', async ({
    page,
  }, info) => {
    const p = prom!;
    const answer = await (await fetch(range(p))).text();
    expect(answer).toMatch(/^\{"status":"success"/);
    // The vmstat collector was widened: the direct_map_* counters are in the answer.
    expect(answer).toContain('node_vmstat_direct_map_level2_splits');
    const app = await new Explorer(page).open('#preset=thread-2021');
    const tl = new TimelineSheet(page);
    await tl.importFile('query_range.json', Buffer.from(answer));
    await expect(tl.sheet).toContainText('Prometheus query_range');
    for (const [key, kb] of Object.entries(meminfo()))
      await expect(tl.value(key), key).toHaveAttribute('data-value', String(kb));
    for (const [key, n] of Object.entries(vmstat()))
      await expect(tl.value(key), key).toHaveAttribute('data-value', String(n));
    await app.shot(info, 'prometheus answer of this host');
  });

  test('a #prom= link asks it live, within the CSP, and keeps the link', async ({ page }) => {
    const p = prom!;
    const violations = await recordViolations(page);
    await page.goto(`#prom=${encodeURIComponent(p.url)}&range=120&step=1`);
    const tl = new TimelineSheet(page);
    await expect(tl.sheet).toContainText('Prometheus query_range', { timeout: 15_000 });
    await expect(tl.value('DirectMap4k')).toHaveAttribute(
      'data-value',
      String(meminfo().DirectMap4k),
    );
    await expect(page).toHaveURL(/#prom=/);
    expect(await violations()).toEqual([]);
    await tl.close();
    await expect(page.getByRole('slider', { name: 'Step' })).toBeVisible();
  });

  test('a query Prometheus refuses is its error, named', async ({ page }) => {
    const p = prom!;
    await page.goto(`#prom=${encodeURIComponent(p.url)}&query=${encodeURIComponent('sum(')}`);
    const alert = new TimelineSheet(page).sheet.getByRole('alert');
    await expect(alert).toContainText('Prometheus answered with an error (bad_data)');
  });
});

test('an unreachable Prometheus: a message naming it, and the explorer opens behind', async ({
  page,
}) => {
  await page.goto(`#prom=${encodeURIComponent('http://127.0.0.1:9')}`);
  const alert = new TimelineSheet(page).sheet.getByRole('alert');
  await expect(alert).toContainText('Prometheus could not be asked');
  await expect(alert).toContainText('Nothing answered at http://127.0.0.1:9');
  await new TimelineSheet(page).close();
  await expect(page.getByRole('slider', { name: 'Step' })).toBeVisible();
});

test('a Prometheus that does not allow the page origin: the CORS flag to set', async ({ page }) => {
  // Answers like Prometheus started without --web.cors.origin: no Access-Control-Allow-Origin.
  // (A routed answer would not do: Playwright's fulfilled responses skip the CORS check.)
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"success","data":{"resultType":"matrix","result":[]}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    const app = await new Explorer(page).open('#preset=thread-2021&step=2');
    await page.evaluate((u) => {
      window.location.hash = `#prom=${encodeURIComponent(u)}`;
    }, `http://127.0.0.1:${port}`);
    const tl = new TimelineSheet(page);
    await expect(tl.sheet.getByRole('alert')).toContainText('does not let this page');
    await expect(tl.sheet.getByRole('alert')).toContainText('--web.cors.origin=');
    await tl.close();
    await expect(app.slider).toHaveValue('2');
  } finally {
    server.close();
  }
});
