/**
 * Embed mode inside a deck (issue 6): ready → goto → stepchanged over postMessage, presenter
 * keys left to the deck, nothing fetched outside the page's origin, the iframe's URL untouched.
 */
import { expect, test } from '@playwright/test';
import { Deck } from './pages/deck';

test('a deck drives an embed over postMessage: ready, goto, stepchanged', async ({
  page,
}, info) => {
  const deck = await new Deck(page).open();
  const offOrigin: string[] = [];
  const origin = new URL(page.url()).origin;
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('blob:') && !r.url().startsWith('data:'))
      offOrigin.push(r.url());
  });
  const ready = await deck.waitForMessages(
    (m) => m.filter((x) => x.type === 'fracture:ready').length === 2,
  );
  expect(ready.find((m) => m.type === 'fracture:ready')).toMatchObject({ step: 0, steps: 9 });

  // Show slide 2 (the embeds) from the deck's keyboard: the embeds must not take PageDown.
  await page.keyboard.press('PageDown');
  await expect(deck.status).toHaveText('slide 2/3');
  const embed = deck.embed(0);
  await expect(embed.getByRole('navigation', { name: 'Steps' })).toContainText('step 0 / 9');

  await deck.post(0, { type: 'fracture:goto', step: 4 });
  await expect(embed.getByRole('navigation', { name: 'Steps' })).toContainText('step 4 / 9');
  await deck.waitForMessages((m) =>
    m.some((x) => x.type === 'fracture:stepchanged' && x.step === 4),
  );
  // Unknown or malformed commands are ignored.
  await deck.post(0, { type: 'fracture:goto', step: -3 });
  await deck.post(0, { type: 'fracture:format-disk' });
  await deck.post(0, 'reveal.js says hi');
  await deck.post(0, { type: 'fracture:next' });
  await expect(embed.getByRole('navigation', { name: 'Steps' })).toContainText('step 5 / 9');

  // The iframe's URL is never rewritten (the deck owns it).
  const frame = page.frames().find((f) => f.url().includes('embed=1'));
  expect(frame?.url()).toMatch(/\?embed=1&controls=mini#preset=thread-2021$/);
  // "Open in Fracture" carries the state, without the embed options.
  const open = embed.getByRole('link', { name: /Open in Fracture/ });
  await expect(open).toHaveAttribute('href', /\/#preset=thread-2021&m=\d+&step=5$/);
  await expect(open).toHaveAttribute('target', '_blank');

  // The deck's fragments still move the embeds (plugin → fracture:goto).
  await page.keyboard.press('PageDown');
  await expect(embed.getByRole('navigation', { name: 'Steps' })).toContainText('step 1 / 9');

  const shot = info.outputPath('deck-with-embeds.png');
  await page.screenshot({ path: shot });
  await info.attach('deck', { path: shot, contentType: 'image/png' });
  expect(offOrigin).toEqual([]);
});

test('an embed leaves presenter keys alone until the audience clicks into it', async ({ page }) => {
  await page.goto('/?embed=1&controls=mini#preset=thread-2021&step=2');
  const bar = page.getByRole('navigation', { name: 'Steps' });
  await expect(bar).toContainText('step 2 / 9');
  const prevented = await page.evaluate(() => {
    const e = new KeyboardEvent('keydown', { key: 'PageDown', bubbles: true, cancelable: true });
    return !window.dispatchEvent(e);
  });
  expect(prevented).toBe(false);
  await page.keyboard.press('ArrowRight');
  await expect(bar).toContainText('step 2 / 9');
  // The audience clicks into the embed: now its keys work.
  await page.locator('.embed-title').click();
  await page.keyboard.press('ArrowRight');
  await expect(bar).toContainText('step 3 / 9');
  expect(page.url()).toMatch(/#preset=thread-2021&step=2$/);
});

test('embed options: no controls, no captions, dark theme', async ({ page }) => {
  await page.goto('/?embed=1&controls=none&caption=off&theme=dark#preset=thread-2021&step=3');
  await expect(page.getByRole('link', { name: /Open in Fracture/ })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Steps' })).toHaveCount(0);
  await expect(page.locator('.caption')).toHaveCount(0);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('button', { name: 'Share' })).toHaveCount(0);
});

test('a host-only embed colours by cause; colour=state keeps the page states', async ({ page }) => {
  await page.goto('/?embed=1#preset=bpf-sockex1-v5.17&step=5');
  const legend = page.getByRole('region', { name: 'Map legend' });
  await expect(legend).toContainText('BPF JIT');
  await expect(legend).toContainText('split by');
  // The embed is a display: no toggle to change it from the audience's side.
  await expect(page.getByRole('radio', { name: 'cause' })).toHaveCount(0);
  await page.goto('/?embed=1&colour=state#preset=bpf-sockex1-v5.17&step=5');
  await page.reload();
  await expect(legend).toContainText('page table');
  await expect(legend).not.toContainText('BPF JIT');
  // A scenario with guests keeps the page states unless the slide asks for causes.
  await page.goto('/?embed=1&colour=cause#preset=thread-2021&step=4');
  await page.reload();
  await expect(legend).toContainText('split by');
});
