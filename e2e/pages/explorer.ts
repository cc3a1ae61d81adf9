/**
 * Page object for the explorer. Selectors are the accessible names the app promises (issue 5):
 * tests read like a user's steps and survive markup changes.
 */
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

export class Explorer {
  readonly map: Locator;
  readonly counters: Locator;
  readonly slider: Locator;
  readonly play: Locator;
  readonly pause: Locator;
  readonly next: Locator;
  readonly previous: Locator;
  readonly backing: Locator;
  readonly kernel: Locator;
  readonly preset: Locator;
  readonly log: Locator;
  readonly explanation: Locator;

  constructor(readonly page: Page) {
    this.map = page
      .getByRole('img', { name: 'Host memory map' })
      .or(page.getByLabel('Host memory map'))
      .first();
    this.counters = page.getByRole('region', { name: 'Direct map counters' });
    this.slider = page.getByRole('slider', { name: 'Step' });
    this.play = page.getByRole('button', { name: 'Play', exact: true });
    this.pause = page.getByRole('button', { name: 'Pause', exact: true });
    this.next = page.getByRole('button', { name: 'Next step' });
    this.previous = page.getByRole('button', { name: 'Previous step' });
    this.backing = page.getByRole('radiogroup', { name: 'Guest memory backing' });
    this.kernel = page.getByRole('combobox', { name: 'Kernel design' });
    this.preset = page.getByRole('combobox', { name: 'Preset' });
    this.log = page.getByRole('region', { name: 'Outcome log' });
    this.explanation = page.getByRole('region', { name: 'Outcome explanation' });
  }

  /** Open the app (optionally with a fragment) and wait until a run is loaded. */
  async open(fragment = ''): Promise<this> {
    await this.page.goto(`/${fragment}`);
    await this.ready();
    return this;
  }

  async ready(): Promise<void> {
    await expect(this.counters).toContainText('DirectMap4k:');
    await expect(this.slider).toBeEnabled();
  }

  async step(): Promise<number> {
    return Number(await this.slider.inputValue());
  }

  async maxStep(): Promise<number> {
    return Number(await this.slider.getAttribute('max'));
  }

  /** Seek with the slider, as a user dragging it would. */
  async seek(step: number): Promise<void> {
    await this.slider.fill(String(step));
    await expect(this.slider).toHaveValue(String(step));
    // Lecture mode hides the counters; elsewhere they say the step once its view has arrived.
    if ((await this.counters.count()) > 0)
      await expect(this.counters).toContainText(`step ${step}`);
  }

  async chooseBacking(label: string): Promise<void> {
    await this.backing.getByRole('radio', { name: label, exact: true }).check();
  }

  /** The fragment the app wrote into the address bar. */
  async hash(): Promise<string> {
    return this.page.evaluate(() => window.location.hash);
  }

  /** A screenshot kept in the test's output folder (test-results/…) and attached to the report. */
  async shot(info: TestInfo, name: string): Promise<void> {
    const path = info.outputPath(`${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
    await this.page.screenshot({ path });
    await info.attach(name, { path, contentType: 'image/png' });
  }
}
