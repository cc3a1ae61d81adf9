/**
 * Narration survives a what-if (issue 15): THP → hugetlbfs in the 2021 example keeps the
 * preset's captions where a step turns out the same and narrates the step whose outcome changed
 * from its outcomes and rule texts; an edit of the model says what it was edited from.
 */
import { expect, test } from '@playwright/test';
import { Explorer } from './pages/explorer';

test('a what-if keeps a caption at the step where the outcome changed, written from the rules', async ({
  page,
}, info) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=4');
  const caption = page.locator('.caption-text').first();
  await expect(caption).toContainText('splits the THP mapping');
  await app.chooseBacking('hugetlbfs 2M');
  await expect(app.counters.getByRole('row', { name: /Guests killed/ })).toContainText('1');
  // Step 4's outcome changed: an automatic caption from the SIGBUS rule.
  await expect(caption).toContainText('In this what-if');
  await expect(caption).toContainText('A hugetlbfs mapping cannot be split');
  await expect(caption).toContainText('guest killed');
  await app.shot(info, 'what-if caption at step 4');
  // Step 3 turns out as in the preset: its caption is kept as written.
  await app.seek(3);
  await expect(caption).toContainText('The guest shares one 4K page');
  await expect(page.getByText(/kept where its step turns out the same/)).toBeVisible();
});

test('an edited scenario drops the preset title and captions and says what it was edited from', async ({
  page,
}) => {
  const app = await new Explorer(page).open('#preset=thread-2021&step=4');
  await page.getByRole('combobox', { name: /Host RAM/ }).selectOption('4G');
  await expect(page.getByText(/Edited from: The 2021 thread/).first()).toBeVisible();
  await expect(page.getByText(/splits the THP mapping/)).toHaveCount(0);
  await expect(app.counters).toContainText('DirectMap4k:');
});
