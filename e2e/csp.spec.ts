/**
 * The Content-Security-Policy of the built app (vite.config.ts CONTENT_SECURITY_POLICY) is in
 * force and leaves the app working: an injected inline script is refused and reported, while a
 * normal session (the default scenario plays, exports download, an embed is driven by its deck)
 * reports no violation at all.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page, test } from '@playwright/test';
import { Deck } from './pages/deck';
import { Explorer } from './pages/explorer';
import { ExportDialog } from './pages/share-export';

interface Violation {
  directive: string;
  blocked: string;
  source: string;
}

declare global {
  interface Window {
    __csp?: Violation[];
    __inlineRan?: boolean;
  }
}

/** Record every securitypolicyviolation of the page and its frames, from the first script on. */
async function recordViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      const top = window.top as Window;
      const list = (() => {
        try {
          return top.__csp ?? window.__csp;
        } catch {
          return window.__csp;
        }
      })();
      list?.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile });
    });
  });
}

const violations = (page: Page) => page.evaluate(() => window.__csp ?? []);

test('the policy is in force: an injected inline script is blocked and reported', async ({
  page,
}) => {
  await recordViolations(page);
  await new Explorer(page).open();
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain('connect-src');
  expect(policy).not.toContain('frame-ancestors');
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true;';
    document.head.append(s);
    const img = document.createElement('img');
    img.src = 'https://example.invalid/pixel.png';
    document.body.append(img);
  });
  await expect
    .poll(() => violations(page).then((v) => v.map((x) => x.directive)))
    .toEqual(['script-src-elem', 'img-src']);
  expect(await page.evaluate(() => window.__inlineRan)).toBeUndefined();
});

test('a normal session reports no violation: play, export, embed', async ({ page }) => {
  test.setTimeout(90_000);
  await recordViolations(page);
  const app = await new Explorer(page).open();
  await app.play.click();
  await expect.poll(() => app.step()).toBeGreaterThan(0);
  await app.pause.click();

  const exp = await new ExportDialog(page).open();
  const png = await exp.download(/^PNG$/);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const svg = await exp.download('SVG');
  expect(svg.suggestedFilename()).toMatch(/\.svg$/);
  await exp.dialog.getByRole('spinbutton', { name: 'From step' }).fill('0');
  await exp.dialog.getByRole('spinbutton', { name: 'to step' }).fill('2');
  const webm = await exp.download('Record WebM');
  expect(webm.suggestedFilename()).toMatch(/\.webm$/);
  expect(await violations(page)).toEqual([]);

  // The embed, driven by the demo deck (its own page has no policy; the frames have the app's).
  const deck = await new Deck(page).open();
  await deck.waitForMessages((m) => m.some((x) => x.type === 'fracture:ready'));
  await page.keyboard.press('PageDown');
  await deck.post(0, { type: 'fracture:goto', step: 3 });
  await expect(deck.embed(0).getByRole('navigation', { name: 'Steps' })).toContainText(
    'step 3 / 9',
  );
  const frameViolations = await Promise.all(
    page
      .frames()
      .filter((f) => f.url().includes('embed=1'))
      .map((f) => f.evaluate(() => window.__csp ?? [])),
  );
  expect(frameViolations.flat()).toEqual([]);
  expect(await violations(page)).toEqual([]);
});

test('a #prom= link may ask the Prometheus the user names: connect-src allows http: and https:', async ({
  page,
}) => {
  // A CSP <meta> is fixed when the page loads, so the policy cannot name the user's server: it
  // allows any http(s) address for connect-src; scripts, workers and frames stay 'self'.
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"node_memory_DirectMap4k_bytes","instance":"csp:9100"},"values":[[1796286600,"31457280"],[1796286601,"31457280"]]}]}}',
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    await recordViolations(page);
    await page.goto(`#prom=${encodeURIComponent(`http://127.0.0.1:${port}`)}&range=60`);
    const sheet = page.getByRole('region', { name: 'Timeline of a real host' });
    await expect(sheet).toContainText('Prometheus query_range');
    await expect(sheet.getByText('csp:9100')).toBeVisible();
    expect(await violations(page)).toEqual([]);
  } finally {
    server.close();
  }
});
