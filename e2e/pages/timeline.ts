/**
 * Page object for the timeline sheet (app/timeline) and the fleet view (app/fleet): opened from
 * the import sheet's file input or by a link, read through its accessible names.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class TimelineSheet {
  readonly sheet: Locator;
  readonly cursor: Locator;
  readonly readout: Locator;
  readonly fleetTable: Locator;

  constructor(readonly page: Page) {
    this.sheet = page.getByRole('region', { name: 'Timeline of a real host' });
    this.cursor = this.sheet.getByRole('slider', { name: 'Timeline cursor' });
    this.readout = this.sheet.getByLabel('Values at the cursor');
    this.fleetTable = this.sheet.getByRole('table', { name: 'Hosts ranked' });
  }

  /** Open the import sheet and choose a file there. */
  async importFile(name: string, buffer: Buffer): Promise<void> {
    await this.page.getByRole('button', { name: 'Import', exact: true }).click();
    const imp = this.page.getByRole('region', { name: 'Import data from a real machine' });
    await imp
      .getByLabel('Text to import: file')
      .setInputFiles({ name, mimeType: 'text/plain', buffer });
    await expect(this.sheet).toBeVisible();
  }

  /** The value (as recorded, kB or count) the readout shows for a key at the cursor. */
  value(key: string): Locator {
    return this.readout.locator(`dd[data-key="${key}"]`);
  }

  async close(): Promise<void> {
    await this.sheet.getByRole('button', { name: 'Close' }).click();
    await expect(this.sheet).toBeHidden();
  }
}
