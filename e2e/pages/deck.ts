/**
 * Page object for a slide deck that embeds Fracture (public/demo-deck.html): the deck's slides,
 * its embeds as frames, and the fracture:* messages the embeds post to it.
 */
import { expect, type FrameLocator, type Page } from '@playwright/test';

export interface FractureMessage {
  type: string;
  step?: number;
  steps?: number;
}

declare global {
  interface Window {
    __fractureMessages?: FractureMessage[];
  }
}

export class Deck {
  readonly status;

  constructor(readonly page: Page) {
    this.status = page.locator('#status');
  }

  /** Open the deck, recording every fracture:* message its window receives. */
  async open(path = '/demo-deck.html'): Promise<this> {
    await this.page.addInitScript(() => {
      window.__fractureMessages = [];
      window.addEventListener('message', (e) => {
        const t = (e.data as { type?: unknown } | null)?.type;
        if (typeof t === 'string' && t.startsWith('fracture:') && window.top === window) {
          window.__fractureMessages?.push(e.data as FractureMessage);
        }
      });
    });
    await this.page.goto(path);
    return this;
  }

  embed(index: number): FrameLocator {
    return this.page.frameLocator('iframe').nth(index);
  }

  async messages(): Promise<FractureMessage[]> {
    return this.page.evaluate(() => window.__fractureMessages ?? []);
  }

  async waitForMessages(pred: (m: FractureMessage[]) => boolean): Promise<FractureMessage[]> {
    let last: FractureMessage[] = [];
    await expect
      .poll(async () => {
        last = await this.messages();
        return pred(last);
      })
      .toBe(true);
    return last;
  }

  /** Post a message to the index-th embed, as a deck's script would. */
  async post(index: number, msg: unknown): Promise<void> {
    await this.page.evaluate(
      ([i, m]) =>
        document.querySelectorAll('iframe')[i as number]?.contentWindow?.postMessage(m, '*'),
      [index, msg] as const,
    );
  }
}
