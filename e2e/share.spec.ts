/**
 * Share dialog, `#src=` links and lecture-mode captions (issue 6).
 */
import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';
import { ShareDialog } from './pages/share-export';

test('the share dialog gives the link, its length and an iframe snippet; Esc closes it', async ({
  page,
}) => {
  await new Explorer(page).open('#preset=thread-2021&step=3');
  const share = await new ShareDialog(page).open();
  await expect(share.link).toHaveValue(/#preset=thread-2021&m=\d+&step=3&c=\d+-\d+-\d+$/);
  const link = await share.link.inputValue();
  await expect(share.dialog).toContainText(`${link.length} characters`);
  await expect(share.dialog.getByRole('textbox', { name: 'Iframe snippet' })).toHaveValue(
    /^<iframe src="[^"]*\?embed=1&amp;controls=mini#preset=thread-2021&amp;m=\d+&amp;step=3" width="960" height="540"/,
  );
  // Focus is inside the dialog and stays there.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true);
  await share.dialog.getByRole('textbox', { name: 'Scenario file URL' }).fill('ftp://x/y.json');
  await expect(share.dialog).toContainText('only http: and https:');
  await share.dialog
    .getByRole('textbox', { name: 'Scenario file URL' })
    .fill('https://example.org/s.json');
  await expect(
    share.dialog.getByRole('textbox', { name: 'Link to the hosted scenario' }),
  ).toHaveValue(/#src=https%3A%2F%2Fexample.org%2Fs.json&step=3$/);
  await page.keyboard.press('Escape');
  await expect(share.dialog).toBeHidden();
});

test('a #src= link loads the scenario file it names; a bad file says why', async ({ page }) => {
  const app = new Explorer(page);
  await page.goto('/#src=./scenarios/thread-2021-upstream.json&step=2');
  await app.ready();
  expect(await app.step()).toBe(2);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('upstream');
  expect(await app.hash()).toBe('#src=.%2Fscenarios%2Fthread-2021-upstream.json&step=2');

  await page.goto('/#src=./index.html');
  await expect(page.getByRole('alert')).toContainText('The file is not valid JSON');
  // A JSON file that is not a scenario: the validation's messages name the fields.
  await page.route('**/not-a-scenario.json', (r) =>
    r.fulfill({ contentType: 'application/json', body: '{"version": 7, "guests": "many"}' }),
  );
  await page.goto('/#src=./not-a-scenario.json');
  await expect(page.getByRole('alert').first()).toContainText('not a valid Fracture scenario');
  await expect(page.getByRole('alert').first()).toContainText('version');
});

test('lecture mode walks the captions; an added caption goes into the link', async ({ page }) => {
  const app = await new Explorer(page).open('#preset=thread-2021');
  await page.getByRole('button', { name: 'Lecture' }).click();
  const lecture = page.getByRole('region', { name: 'Lecture' });
  await expect(lecture).toBeVisible();
  await page.keyboard.press('PageDown');
  const first = await app.step();
  await page.keyboard.press('PageDown');
  expect(await app.step()).toBeGreaterThan(first);
  await page.keyboard.press('PageUp');
  expect(await app.step()).toBe(first);

  await lecture.getByText('Edit captions').click();
  await app.seek(3);
  const box = lecture.getByRole('textbox', { name: 'Caption at step 3' });
  await box.fill('A caption written in the talk.');
  await lecture.getByRole('button', { name: /Add caption|Save caption/ }).click();
  await expect(lecture).toContainText('A caption written in the talk.');
  await expect.poll(() => app.hash()).toMatch(/^#v=2&s=.*step=3/);
  const link = page.url();
  await page.keyboard.press('Escape');
  await expect(lecture).toBeHidden();

  const other = await page.context().newPage();
  await other.goto(link);
  await new Explorer(other).ready();
  await expect(other.locator('.caption')).toContainText('A caption written in the talk.');
});
