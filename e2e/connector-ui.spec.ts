import { expect, test } from '@playwright/test';
import { createPostingWithHired, csrfHeaders, ok, signIn } from './fixtures';
import { axeViolations } from './axe';

const SCREENSHOTS = 'test-results/screenshots';

// Issue 20 item 7: the form speaks BambooHR's language, and the connector's name is shown wherever it appears.
test('an admin adds a BambooHR source with its company domain and API key, and sees it named BambooHR', async ({
  page,
}) => {
  // A name without the connector's in it, so that "BambooHR" on the pages can only be the connector.
  const name = `E2E People system ${Date.now().toString(36)}`;
  await signIn(page, 'admin', '/sync-admin/sources/new');
  await expect(page.getByRole('heading', { level: 1, name: /source/i })).toBeVisible();

  await page.getByRole('combobox', { name: 'Connector' }).selectOption('bamboohr');
  // One credential, the API key, sent as Basic by the engine: no user name to invent.
  const authType = page.getByRole('combobox', { name: 'Authentication', exact: true });
  await expect(authType).toHaveValue('basic');
  await expect(authType.getByRole('option')).toHaveText(['API key (HTTP Basic)']);
  await expect(page.getByLabel('Username')).toHaveCount(0);
  await expect(
    page.getByText('In BambooHR, click your name (top right) > API Keys > Add New Key.', { exact: false }),
  ).toBeVisible();

  // BambooHR builds its own requests: the webhook's path, method, signing and headers are not asked for.
  for (const label of ['Endpoint path', 'HTTP method', 'Signing secret']) {
    await expect(page.getByLabel(label)).toHaveCount(0);
  }
  await expect(page.getByRole('button', { name: 'Add header' })).toHaveCount(0);

  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Company domain').fill('acme');
  // The base URL follows the company domain, as BambooHR's API address.
  await expect(page.getByLabel('Base URL')).toHaveValue('https://acme.bamboohr.com/api/v1');
  await page.getByLabel('API key').fill('e2e-bamboohr-api-key-0001');

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.getByLabel('Company domain').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/connector-ui-bamboohr-new-${scheme}.png`, fullPage: true });
    expect(await axeViolations(page), `axe, new form, ${scheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('button', { name: 'Add source' }).click();

  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const id = new URL(page.url()).pathname.split('/').at(-1)!;
  try {
    const stored = (await ok(await page.request.get(`/api/v1/sources/${id}`))) as Record<string, unknown>;
    expect(stored).toMatchObject({
      connector: 'bamboohr',
      settings: { company_domain: 'acme' },
      base_url: 'https://acme.bamboohr.com/api/v1',
      auth: { type: 'basic', username: 'api-key', secret_set: true },
    });
    expect(JSON.stringify(stored)).not.toContain('e2e-bamboohr-api-key-0001');

    await page.goto('/sync-admin/sources');
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
    // The name, without the method: BambooHR's requests are its own.
    await expect(row.getByText('BambooHR', { exact: true })).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/connector-ui-sources.png`, fullPage: true });
    expect(await axeViolations(page), 'axe, sources list').toEqual([]);

    // The recruiter's sync options name the system, not its id.
    const posting = await createPostingWithHired(page, 1, 'Bamboo');
    await page.goto(`/recruitment/jobs/${posting.slug}/hired`);
    await page.getByRole('button', { name: 'Options' }).click();
    const options = page.getByRole('dialog', { name: 'Sync options' });
    const choice = options.getByRole('checkbox', { name: new RegExp(name) });
    await expect(choice).toBeVisible();
    await expect(options.getByText('BambooHR', { exact: true })).toBeVisible();
    await expect(options.getByText('bamboohr', { exact: true })).toHaveCount(0);
    await page.screenshot({ path: `${SCREENSHOTS}/connector-ui-sync-options.png` });
    expect(await axeViolations(page), 'axe, sync options').toEqual([]);
    await page.keyboard.press('Escape');
  } finally {
    // The specs share one database: later syncs must see only the demo sources.
    const removed = await page.request.delete(`/api/v1/sources/${id}`, { headers: await csrfHeaders(page) });
    expect(removed.status()).toBe(200);
  }
});
