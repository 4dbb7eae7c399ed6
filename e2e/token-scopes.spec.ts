import { expect, type Page, test } from '@playwright/test';
import { axeViolations, checkBothSchemes } from './axe';
import { type Role, USERS, csrfHeaders, ok, signIn } from './fixtures';

const DAY_MS = 86_400_000;

/** Screenshots and axe in both colour schemes (every finding), leaving the page light. */
async function lookInBothSchemes(page: Page, name: string): Promise<void> {
  await checkBothSchemes(page, `token-scopes-${name}`, axeViolations);
}

/** This spec's tokens are revoked at the end, so the demo data is left as found. */
async function revokeMine(page: Page, prefix: string): Promise<void> {
  const { data } = await ok(await page.request.get('/api/v1/tokens'));
  for (const t of data as { id: string; name: string; status: string }[]) {
    if (t.name.startsWith(prefix) && t.status === 'active') {
      await ok(await page.request.delete(`/api/v1/tokens/${t.id}`, { headers: await csrfHeaders(page) }));
    }
  }
}

test('a recruiter makes a token with chosen scopes; it is refused outside them and shown on the page', async ({
  page,
  request,
}) => {
  const prefix = `e2e scopes ${Date.now().toString(36)}`;
  const name = `${prefix} sync`;
  await signIn(page, 'recruiter', '/settings/tokens');
  try {
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    const scopes = dialog.getByRole('group', { name: 'Scopes' });
    // Read only first, and nothing above the recruiter role is offered.
    await expect(scopes.getByRole('button', { name: 'Read only' })).toHaveAttribute('aria-pressed', 'true');
    await expect(scopes.getByRole('checkbox', { name: /^jobs:read/ })).toBeChecked();
    await expect(scopes.getByRole('checkbox', { name: /^jobs:write/ })).not.toBeChecked();
    await expect(scopes.getByRole('checkbox', { name: /^sources:/ })).toHaveCount(0);
    await expect(scopes.getByRole('group', { name: 'Sync administration' })).toHaveCount(0);

    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await scopes.getByRole('checkbox', { name: /^syncs:write/ }).check();
    await expect(scopes.getByRole('checkbox', { name: /^syncs:read/ })).toBeDisabled();
    await expect(scopes.getByRole('checkbox', { name: /^syncs:read/ })).toBeChecked();
    await expect(scopes.getByRole('button', { name: 'Read only' })).toHaveAttribute('aria-pressed', 'false');
    await expect(dialog.getByRole('combobox', { name: 'Expires' })).toHaveValue('90');
    await expect(dialog.getByRole('option', { name: 'Never' })).toHaveCount(0);
    await lookInBothSchemes(page, 'recruiter-create');

    await dialog.getByRole('button', { name: 'Create token' }).click();
    const reveal = page.getByRole('dialog', { name: 'Copy your new token' });
    const token = await reveal.getByLabel(`Token “${name}”`).inputValue();
    await expect(reveal).toContainText('syncs:write');
    await reveal.getByRole('button', { name: 'I’ve copied it' }).click();

    const row = page.getByRole('row').filter({ hasText: name });
    await expect(row).toContainText('syncs:write');
    await expect(row).toContainText('candidates:read');
    await expect(row).not.toContainText('candidates:write');

    const bearer = { authorization: `Bearer ${token}` };
    expect((await request.get('/api/v1/jobs', { headers: bearer })).status()).toBe(200);
    const refused = await request.post('/api/v1/jobs', { headers: bearer, data: { title: `${prefix} refused` } });
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: { code: 'insufficient_scope', details: { required_scope: 'jobs:write' } },
    });
    expect((await request.get('/api/v1/me', { headers: bearer })).status()).toBe(200);

    // One that ends in three days is flagged in its row and above the table.
    const headers = await csrfHeaders(page);
    await ok(
      await page.request.post('/api/v1/tokens', {
        headers,
        data: {
          name: `${prefix} ending`,
          scopes: ['jobs:read'],
          expires_at: new Date(Date.now() + 3 * DAY_MS - 60_000).toISOString(),
        },
      }),
    );
    await page.reload();
    await expect(page.getByRole('row').filter({ hasText: `${prefix} ending` })).toContainText('Expires in 3 days');
    await expect(page.getByText(`“${prefix} ending” stops working within 7 days.`)).toBeVisible();
    await lookInBothSchemes(page, 'recruiter-list');
  } finally {
    await revokeMine(page, prefix);
  }
});

test('an admin is offered the administration scopes, with Full access as a preset', async ({ page }) => {
  const prefix = `e2e scopes admin ${Date.now().toString(36)}`;
  await signIn(page, 'admin', '/settings/tokens');
  try {
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    const scopes = dialog.getByRole('group', { name: 'Scopes' });
    await scopes.getByRole('button', { name: 'Full access' }).click();
    await expect(scopes.getByRole('checkbox', { name: /^sources:write/ })).toBeChecked();
    await expect(scopes.getByRole('checkbox', { name: /^users:write/ })).toBeChecked();
    await scopes.getByRole('button', { name: 'Read only' }).click();
    await expect(scopes.getByRole('checkbox', { name: /^sources:write/ })).not.toBeChecked();
    await expect(scopes.getByRole('checkbox', { name: /^audit:read/ })).toBeChecked();
    await dialog.getByLabel('Name', { exact: true }).fill(`${prefix} monitor`);
    await lookInBothSchemes(page, 'admin-create');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const reveal = page.getByRole('dialog', { name: 'Copy your new token' });
    await reveal.getByRole('button', { name: 'I’ve copied it' }).click();
    await expect(page.getByRole('row').filter({ hasText: `${prefix} monitor` })).toContainText('Read only');
    await lookInBothSchemes(page, 'admin-list');

    // Admins see every user's tokens with their scopes on /admin/users.
    await page.goto('/admin/users');
    await page.getByRole('button', { name: `Tokens ${USERS.admin.name}` }).click();
    const tokens = page.getByRole('dialog', { name: `API tokens of ${USERS.admin.name}` });
    const item = tokens.getByRole('listitem').filter({ hasText: `${prefix} monitor` });
    await expect(item).toContainText('Read only');
    await item.getByText('Read only').click();
    await expect(item).toContainText('audit:read');
    await lookInBothSchemes(page, 'admin-user-tokens');
  } finally {
    await revokeMine(page, prefix);
  }
});

for (const role of ['admin', 'recruiter'] as Role[]) {
  test(`nothing above the role can be asked for over the API either (${role})`, async ({ page }) => {
    await signIn(page, role, '/settings/tokens');
    const res = await page.request.post('/api/v1/tokens', {
      headers: await csrfHeaders(page),
      data: { name: 'e2e above role', scopes: ['jobs:read', role === 'admin' ? 'jobs:admin' : 'sources:read'] },
    });
    expect(res.status()).toBe(422);
    expect((await res.json()).error.details[0].path).toMatch(/^scopes/);
  });
}
