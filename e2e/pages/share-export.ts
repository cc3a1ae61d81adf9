/** Page objects for the Share and Export dialogs (accessible names as selectors). */
import { type Download, expect, type Locator, type Page } from '@playwright/test';

export class ShareDialog {
  readonly dialog: Locator;
  readonly link: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Share this view' });
    this.link = this.dialog.getByRole('textbox', { name: 'Share link' });
  }

  async open(): Promise<this> {
    await this.page.getByRole('button', { name: 'Share', exact: true }).click();
    await expect(this.dialog).toBeVisible();
    return this;
  }
}

export class ExportDialog {
  readonly dialog: Locator;
  readonly report: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: /^Export step/ });
    this.report = this.dialog.getByTestId('report');
  }

  async open(): Promise<this> {
    await this.page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(this.dialog).toBeVisible();
    return this;
  }

  /** Click an export button and return the file it downloads. */
  async download(button: string | RegExp): Promise<Download> {
    const wait = this.page.waitForEvent('download', { timeout: 20_000 });
    await this.dialog.getByRole('button', { name: button }).click();
    return wait;
  }
}
