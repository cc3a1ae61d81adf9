/**
 * Compare embeds (issue 7: "compare links and embeds work like single-scenario ones"): a compare
 * link with embed=1 shows A and B on one stage, the deck drives both with the same fracture:*
 * messages, the audience's keys step both, and "Open in Fracture" reopens the comparison.
 */
import { expect, type Page, test } from '@playwright/test';

const EMBED =
  '?embed=1&controls=mini&cmpKernel=rfc-2021&cmpBacking=hugetlbfs-2m#preset=thread-2021';

interface Msg {
  type: string;
  step?: number;
  steps?: number;
  compare?: unknown;
}

/** A bare deck: one iframe, every fracture:* message it posts recorded. */
async function deck(page: Page, baseURL: string) {
  await page.setContent(`<!doctype html><html><body style="margin:0">
    <iframe id="e" src="${baseURL}${EMBED}" width="1280" height="720" style="border:0"></iframe>
    <script>
      window.msgs = [];
      addEventListener('message', (e) => {
        if (typeof e.data?.type === 'string' && e.data.type.startsWith('fracture:')) msgs.push(e.data);
      });
    </script></body></html>`);
  const frame = page.frameLocator('#e');
  const messages = () => page.evaluate(() => (window as unknown as { msgs: Msg[] }).msgs);
  const post = (m: unknown) =>
    page.evaluate((msg) => {
      (document.getElementById('e') as HTMLIFrameElement).contentWindow?.postMessage(msg, '*');
    }, m);
  return { frame, messages, post };
}

test('a compare link embeds A and B: ready with both, goto, setView side, keys step both', async ({
  page,
  baseURL,
}, info) => {
  await page.setViewportSize({ width: 1300, height: 760 });
  const { frame, messages, post } = await deck(page, baseURL ?? '');
  await expect
    .poll(async () => (await messages()).some((m) => m.type === 'fracture:ready'))
    .toBe(true);
  const ready = (await messages()).find((m) => m.type === 'fracture:ready');
  expect(ready).toEqual({
    type: 'fracture:ready',
    step: 0,
    steps: 9,
    compare: {
      a: { kernel: 'rfc-2021', backing: 'thp' },
      b: { kernel: 'rfc-2021', backing: 'hugetlbfs-2m' },
      view: 'diff',
    },
  });
  const bar = frame.getByRole('navigation', { name: 'Steps' });
  await expect(bar).toContainText('step 0 / 9');
  await expect(frame.getByRole('img', { name: /Difference map at step 0/ })).toBeVisible();
  await expect(frame.getByRole('heading', { level: 1 })).toContainText(
    'A rfc-2021 · THP vs B rfc-2021 · hugetlbfs 2M',
  );

  // The deck moves both: at step 4 the host writes the shared page and B (hugetlbfs) dies.
  await post({ type: 'fracture:goto', step: 4 });
  await expect(bar).toContainText('step 4 / 9');
  await expect(frame.getByRole('img', { name: /Difference map at step 4/ })).toBeVisible();
  const legend = frame.locator('.cmp-embed-legend');
  await expect(legend.locator('.cmp-embed-counters').nth(0)).toContainText('killed 0');
  await expect(legend.locator('.cmp-embed-counters').nth(1)).toContainText('killed 1');
  await expect
    .poll(async () =>
      (await messages()).some((m) => m.type === 'fracture:stepchanged' && m.step === 4),
    )
    .toBe(true);

  // setView's added field switches to A and B side by side; malformed values are ignored.
  await post({ type: 'fracture:setView', cmpView: 'sideways' });
  await post({ type: 'fracture:setView', cmpView: 'side' });
  const mapA = frame.getByRole('img', { name: 'A (rfc-2021 · THP) memory map at step 4' });
  const mapB = frame.getByRole('img', { name: 'B (rfc-2021 · hugetlbfs 2M) memory map at step 4' });
  await expect(mapA).toBeVisible();
  await expect(mapB).toBeVisible();
  const shot = info.outputPath('compare-embed-side.png');
  await page.screenshot({ path: shot });
  await info.attach('compare embed', { path: shot, contentType: 'image/png' });

  // Presenter keys stay with the deck until the audience clicks in; then → steps both maps.
  await page.keyboard.press('ArrowRight');
  await expect(bar).toContainText('step 4 / 9');
  await frame.locator('.embed-title').click();
  await page.keyboard.press('ArrowRight');
  await expect(bar).toContainText('step 5 / 9');
  await expect(
    frame.getByRole('img', { name: 'A (rfc-2021 · THP) memory map at step 5' }),
  ).toBeVisible();
  await expect(
    frame.getByRole('img', { name: 'B (rfc-2021 · hugetlbfs 2M) memory map at step 5' }),
  ).toBeVisible();
  await expect
    .poll(async () =>
      (await messages()).some((m) => m.type === 'fracture:stepchanged' && m.step === 5),
    )
    .toBe(true);

  // "Open in Fracture" reopens the comparison in the app, at this step, in this view.
  const open = frame.getByRole('link', { name: /Open in Fracture/ });
  const href = (await open.getAttribute('href')) ?? '';
  expect(href).toContain('cmpKernel=rfc-2021');
  expect(href).toContain('cmpBacking=hugetlbfs-2m');
  expect(href).toContain('cmpView=side');
  expect(href).not.toContain('embed=1');
  expect(href).toMatch(/#preset=thread-2021&m=\d+&step=5$/);
});

test('the compare link from the app opens as a compare embed at its step', async ({ page }) => {
  await page.goto('/?cmpKernel=rfc-2021&cmpBacking=hugetlbfs-2m#preset=thread-2021&step=4');
  const sheet = page.getByRole('region', { name: 'Compare A/B' });
  const share = sheet.getByRole('region', { name: 'Share this comparison' });
  const snippet = share.getByRole('textbox', { name: 'Compare iframe snippet' });
  await expect(snippet).toHaveValue(/embed=1/);
  const value = await snippet.inputValue();
  const src = /src="([^"]+)"/.exec(value)?.[1]?.replaceAll('&amp;', '&') ?? '';
  expect(src).toContain('cmpBacking=hugetlbfs-2m');
  expect(src).toMatch(/#preset=thread-2021&m=\d+&step=4$/);
  await page.goto(src);
  await expect(page.getByRole('navigation', { name: 'Steps' })).toContainText('step 4 / 9');
  await expect(page.getByRole('img', { name: /Difference map at step 4/ })).toBeVisible();
  // The audience's keys step the one timeline.
  await page.locator('.embed-title').click();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('img', { name: /Difference map at step 3/ })).toBeVisible();
  expect(page.url()).toBe(src);
});
