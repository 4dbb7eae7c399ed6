import { expect, test } from '@playwright/test';
import { MOCK_URL, csrfHeaders, ok, signIn } from './fixtures';
import { axeViolations } from './axe';

const SCREENSHOTS = 'test-results/screenshots';

// Issue 20 item 3: OAuth2 client credentials entered on the source form, for Personio.
test('an admin adds a Personio source with OAuth2 client credentials and sees its client id again', async ({
  page,
}) => {
  const name = `E2E Personio ${Date.now().toString(36)}`;
  await signIn(page, 'admin', '/sync-admin/sources/new');
  await expect(page.getByRole('heading', { level: 1, name: /source/i })).toBeVisible();

  await page.getByRole('combobox', { name: 'Connector' }).selectOption('personio');
  // Personio takes nothing else: OAuth2 is chosen and the only choice.
  const authType = page.getByRole('combobox', { name: 'Authentication', exact: true });
  await expect(authType).toHaveValue('oauth2_client_credentials');
  await expect(authType.getByRole('option')).toHaveText(['OAuth2 client credentials']);
  await expect(
    page.getByText('leave empty for connectors that know theirs, e.g. Personio.', { exact: false }),
  ).toBeVisible();

  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Base URL').fill(MOCK_URL);
  await page.getByLabel('Client secret').fill('e2e-client-secret-0001');
  await page.getByLabel('Scope').fill('personio:persons:write');
  await page.getByRole('combobox', { name: 'Client authentication' }).selectOption('client_secret_basic');
  // The client id left out is shown on its own field.
  await page.getByRole('button', { name: 'Add source' }).click();
  await expect(page.getByLabel('Client ID')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Client ID').fill('papi-e2e-client');

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.getByLabel('Client ID').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/source-oauth2-new-${scheme}.png` });
    expect(await axeViolations(page), `axe, new form, ${scheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('button', { name: 'Add source' }).click();

  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const id = new URL(page.url()).pathname.split('/').at(-1)!;
  try {
    const stored = (await ok(await page.request.get(`/api/v1/sources/${id}`))) as { auth: Record<string, unknown> };
    expect(stored.auth).toMatchObject({
      type: 'oauth2_client_credentials',
      client_id: 'papi-e2e-client',
      token_url: null,
      scope: 'personio:persons:write',
      client_auth: 'client_secret_basic',
      secret_set: true,
    });
    expect(JSON.stringify(stored)).not.toContain('e2e-client-secret-0001');

    await page.goto('/sync-admin/sources');
    await page.getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Authentication', exact: true })).toHaveValue(
      'oauth2_client_credentials',
    );
    await expect(page.getByLabel('Client ID')).toHaveValue('papi-e2e-client');
    await expect(page.getByLabel('Scope')).toHaveValue('personio:persons:write');
    await expect(page.getByLabel('Token URL')).toHaveValue('');
    await expect(page.getByRole('combobox', { name: 'Client authentication' })).toHaveValue('client_secret_basic');
    // Write-only: the secret is shown by its mask, and the input stays empty.
    await expect(page.getByLabel('Client secret')).toHaveValue('');
    await expect(page.getByText('(set) · leave empty to keep it')).toBeVisible();
    await page.getByLabel('Client ID').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/source-oauth2-edit.png` });
    expect(await axeViolations(page), 'axe, edit form').toEqual([]);

    // A new scope alone keeps the stored secret.
    await page.getByLabel('Scope').fill('personio:persons:read personio:persons:write');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Saved changes to ${name}.` })).toBeVisible();
    const saved = (await ok(await page.request.get(`/api/v1/sources/${id}`))) as { auth: Record<string, unknown> };
    expect(saved.auth).toMatchObject({
      client_id: 'papi-e2e-client',
      scope: 'personio:persons:read personio:persons:write',
      secret_set: true,
      secret_mask: stored.auth.secret_mask,
    });
  } finally {
    // The specs share one database: later syncs must see only the demo sources.
    const removed = await page.request.delete(`/api/v1/sources/${id}`, { headers: await csrfHeaders(page) });
    expect(removed.status()).toBe(200);
  }
});
