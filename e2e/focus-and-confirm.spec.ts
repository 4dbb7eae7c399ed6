import { expect, test } from '@playwright/test';
import { USERS, csrfHeaders, signIn, mockControl, ok, createPostingWithHired } from './fixtures';

// Issue 24, deliverables 2 and 4: focus goes back where it came from, form errors take focus and
// are announced, and clicks that cannot be taken back ask first (or are not offered).

const SCREENSHOTS = 'test-results/e2e/screenshots';

test.beforeEach(async () => {
  await mockControl('/_mock/reset');
});

test('focus goes back to "Sync to Sources" when the sync modal closes with Escape or Close', async ({ page }) => {
  await signIn(page, 'recruiter');
  const posting = await createPostingWithHired(page, 2, 'Focus');
  await page.goto(`/recruitment/jobs/${posting.slug}/hired`);
  const syncButton = page.getByRole('button', { name: /^Sync to Sources/ });
  const modal = page.getByRole('dialog', { name: 'Sync to Sources' });

  await syncButton.click();
  await expect(modal.getByTestId('sync-status')).toHaveText('Sync completed', { timeout: 20_000 });
  await page.keyboard.press('Escape');
  await expect(modal).toBeHidden();
  await expect(syncButton).toBeFocused();

  await syncButton.click();
  await expect(modal.getByTestId('sync-status')).toHaveText('Sync completed', { timeout: 20_000 });
  await modal.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(modal).toBeHidden();
  await expect(syncButton).toBeFocused();
});

test('cancelling a running sync from the modal asks first, and "Keep syncing" keeps it going', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'recruiter');
  const posting = await createPostingWithHired(page, 1, 'Focus');
  await page.goto(`/recruitment/jobs/${posting.slug}/hired`);
  // The receiver holds its answers, so the run is still going while the question is asked, however
  // slow the machine; it answers once the question is settled.
  await mockControl('/_mock/config', { mode: 'hold' });
  await page.getByRole('button', { name: /^Sync to Sources/ }).click();
  const modal = page.getByRole('dialog', { name: 'Sync to Sources' });
  await modal.getByRole('button', { name: 'Cancel sync' }).click();
  await expect(modal.getByRole('alert')).toContainText('Cancel this sync?');
  await expect(modal.getByRole('button', { name: 'Keep syncing' })).toBeFocused();
  await page.screenshot({ path: `${SCREENSHOTS}/focus-cancel-sync-question.png` });
  await modal.getByRole('button', { name: 'Keep syncing' }).click();
  await expect(modal.getByRole('button', { name: 'Cancel sync' })).toBeFocused();
  // The run goes on to its own end, not to a cancellation.
  await mockControl('/_mock/config', { mode: 'ok' });
  await mockControl('/_mock/release');
  const status = modal.getByTestId('sync-status');
  await expect(status).toHaveText('Sync completed', { timeout: 45_000 });
});

test('focus goes back to the opener of other dialogs, and to the heading when the opener is gone', async ({ page }) => {
  await signIn(page, 'recruiter');
  const posting = await createPostingWithHired(page, 0, 'Focus');
  await page.goto(`/recruitment/jobs/${posting.slug}`);
  const add = page.getByRole('button', { name: 'Add candidate' });
  await add.click();
  const dialog = page.getByRole('dialog', { name: 'Add candidate' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(add).toBeFocused();

  await add.click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(add).toBeFocused();

  // Deleting a candidate removes the row whose button opened the dialog.
  await add.click();
  await dialog.getByLabel('First name').fill('Gone');
  await dialog.getByLabel('Last name').fill('Soon');
  await dialog.getByLabel('Email').fill(`gone-${posting.slug}@example.com`);
  await dialog.getByRole('button', { name: 'Add candidate' }).click();
  await expect(dialog).toBeHidden();
  await expect(add).toBeFocused();
  await page.getByRole('button', { name: 'Delete Gone Soon' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete Gone Soon?' });
  await confirm.getByRole('button', { name: 'Delete candidate' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
});

test('an empty source form focuses its first invalid field and announces the error', async ({ page }) => {
  await signIn(page, 'admin', '/sync-admin/sources/new');
  await page.getByRole('button', { name: 'Add source' }).click();
  const name = page.getByRole('textbox', { name: 'Name', exact: true });
  await expect(name).toBeFocused();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription('Required');
  const alerts = page.getByRole('alert');
  await expect(alerts.filter({ hasText: 'Required' }).first()).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/focus-source-form-errors.png` });

  // Typing where told must not pull focus elsewhere; a second failed submit takes focus again.
  await name.fill('x');
  await expect(name).toBeFocused();
  await page.getByRole('button', { name: 'Add source' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('[aria-invalid="true"]').first()).toBeFocused();
});

test('a server-side refusal focuses the field it is about', async ({ page }) => {
  await signIn(page, 'admin', '/admin/users');
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add user' });
  await dialog.getByLabel('Name').fill('Taken Email');
  await dialog.getByLabel('Email').fill(USERS.recruiter.email);
  await dialog.getByLabel('Password', { exact: true }).fill('a-long-enough-password-1');
  await dialog.getByRole('button', { name: 'Add user' }).click();
  const email = dialog.getByLabel('Email');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toBeFocused();
  await expect(dialog.getByRole('alert')).not.toHaveCount(0);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Add user' })).toBeFocused();
});

test('closing a posting asks first, and Cancel leaves it open', async ({ page }) => {
  await signIn(page, 'recruiter');
  const posting = await createPostingWithHired(page, 0, 'Focus');
  await page.goto(`/recruitment/jobs/${posting.slug}`);
  await page.getByRole('button', { name: 'Close posting' }).click();
  const confirm = page.getByRole('dialog', { name: `Close “${posting.title}”?` });
  await expect(confirm).toContainText('No new candidates can be added');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.screenshot({ path: `${SCREENSHOTS}/focus-close-posting.png` });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('button', { name: 'Close posting' })).toBeFocused();
  await expect(page.getByRole('button', { name: 'Add candidate' })).toBeEnabled();
  const stillOpen = await ok(await page.request.get(`/api/v1/jobs/${posting.slug}`));
  expect(stillOpen.status).toBe('open');

  // The list's "Close" asks the same question.
  await page.goto('/recruitment/jobs');
  await page.getByLabel('Search by title').fill(posting.title);
  await page.getByRole('button', { name: `Close ${posting.title}` }).click();
  const fromList = page.getByRole('dialog', { name: `Close “${posting.title}”?` });
  await fromList.getByRole('button', { name: 'Close posting' }).click();
  await expect(fromList).toBeHidden();
  await expect(page.getByRole('status')).toHaveText(`${posting.title} is closed.`);
  expect((await ok(await page.request.get(`/api/v1/jobs/${posting.slug}`))).status).toBe('closed');
});

test('the only active admin is not offered deactivating or demoting themselves', async ({ page }) => {
  await signIn(page, 'admin', '/admin/users');
  const users = page.getByRole('table', { name: 'Users' });
  const self = users.getByRole('row').filter({ hasText: USERS.admin.email });
  await expect(self).toContainText('Only active admin');
  await expect(self.getByRole('button', { name: /Deactivate/ })).toHaveCount(0);
  await page.screenshot({ path: `${SCREENSHOTS}/focus-sole-admin.png` });
  // Other users still can be deactivated.
  const recruiter = users.getByRole('row').filter({ hasText: USERS.recruiter.email });
  await expect(recruiter.getByRole('button', { name: `Deactivate ${USERS.recruiter.name}` })).toBeVisible();

  await self.getByRole('button', { name: `Edit ${USERS.admin.name}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${USERS.admin.name}` });
  const role = edit.getByLabel('Role');
  await expect(role).toBeDisabled();
  await expect(role).toHaveAccessibleDescription(/only active admin/);
  await page.keyboard.press('Escape');
  await expect(self.getByRole('button', { name: `Edit ${USERS.admin.name}` })).toBeFocused();
});

test('a new token’s one-time secret asks before Escape or × dismisses it', async ({ page }) => {
  await signIn(page, 'recruiter', '/settings/tokens');
  const name = `e2e focus ${Date.now().toString(36)}`;
  const create = page.getByRole('button', { name: /Create (API )?token/ }).first();
  await create.click();
  const dialog = page.getByRole('dialog', { name: 'Create API token' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const reveal = page.getByRole('dialog', { name: 'Copy your new token' });
  const secret = reveal.getByLabel(`Token “${name}”`);
  await expect(secret).toHaveValue(/.+/);

  await page.keyboard.press('Escape');
  await expect(reveal).toBeVisible();
  await expect(reveal.getByRole('alertdialog')).toContainText('Have you copied it?');
  await expect(reveal.getByRole('alertdialog')).toContainText('It will not be shown again.');
  await expect(reveal.getByRole('button', { name: 'Go back' })).toBeFocused();
  await page.screenshot({ path: `${SCREENSHOTS}/focus-secret-question.png` });
  await reveal.getByRole('button', { name: 'Go back' }).click();
  await expect(reveal.getByRole('alertdialog')).toHaveCount(0);
  await expect(secret).toBeVisible();

  await reveal.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(reveal.getByRole('alertdialog')).toContainText('Have you copied it?');
  await reveal.getByRole('button', { name: 'Close anyway' }).click();
  await expect(reveal).toBeHidden();
  await expect(create).toBeFocused();

  // Leave the demo data as found: the token this test made is revoked.
  const tokens = await ok(await page.request.get('/api/v1/tokens'));
  const made = tokens.data.find((t: { name: string }) => t.name === name);
  expect(made).toBeTruthy();
  await ok(await page.request.delete(`/api/v1/tokens/${made.id}`, { headers: await csrfHeaders(page) }));
});
