import { expect, type Page, test } from '@playwright/test';
import { startFakeHiBob } from '../test/fakes/hibob';
import { createPostingWithHired, csrfHeaders, ok, signIn } from './fixtures';
import { axeViolations } from './axe';

const SCREENSHOTS = 'test-results/screenshots';
const API_KEY = 'e2e-preview-bamboo-key-4242';

/** The specs share one database: later syncs to "all sources" must see only the demo sources. */
async function removeSource(page: Page, id: string): Promise<void> {
  const removed = await page.request.delete(`/api/v1/sources/${id}`, { headers: await csrfHeaders(page) });
  expect(removed.status()).toBe(200);
}

// Issue 20 items 5 and 6: the mapping editor on the source form, and the live preview that follows it.
test('an admin previews the BambooHR request of a real hire while editing the mapping', async ({ page }) => {
  await signIn(page, 'admin', '/sync-admin/sources');
  // Letters only, so the last name reads back as it was typed (and upper-cased below).
  const label = `Preview${Math.random()
    .toString(36)
    .replace(/[^a-z]/g, '')
    .slice(0, 5)}`;
  const posting = await createPostingWithHired(page, 1, label);
  const [name] = posting.names;

  await page.goto('/sync-admin/sources/new');
  await page.getByRole('combobox', { name: 'Connector' }).selectOption('bamboohr');
  await page.getByLabel('Name', { exact: true }).fill(`E2E preview ${label}`);
  await page.getByLabel('Company domain').fill('acme');
  await page.getByLabel('API key').fill(API_KEY);

  const preview = page.getByTestId('source-preview');
  // Another spec's hire may be more recent: the picker chooses ours.
  await preview.getByLabel('Candidate').selectOption({ label: `${name} · ${posting.title}` });
  const headers = preview.getByRole('region', { name: 'Request line and headers' });
  const body = preview.getByRole('region', { name: 'Request body' });
  await expect(headers).toContainText('POST https://acme.bamboohr.com/api/v1/employees/');
  await expect(headers).toContainText('authorization: Basic ••••••');
  await expect(body).toContainText('"firstName": "Ada"');
  await expect(body).toContainText(`"lastName": "${label}1"`);
  await expect(preview.getByRole('status')).toContainText(`${name} (${posting.title})`);
  expect(await preview.textContent()).not.toContain(API_KEY);

  // A rule changed: the body follows.
  const lastName = page.locator('[data-target-field="lastName"]');
  await lastName.getByText('Clean-up and default: trim').click();
  await lastName.getByLabel('Case').selectOption('upper');
  await expect(lastName.getByText('Clean-up and default: trim · UPPER CASE')).toBeVisible();
  await expect(body).toContainText(`"lastName": "${label.toUpperCase()}1"`);

  // A required field's rule removed: the preview names it as missing, and the body no longer has it.
  const firstName = page.locator('[data-target-field="firstName"]');
  await firstName.getByRole('combobox', { name: /First name/ }).selectOption('none');
  const missing = preview.getByRole('list', { name: 'Missing required fields' });
  await expect(missing).toContainText('First name (firstName)');
  await expect(body).not.toContainText('"firstName"');

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await preview.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/source-preview-${scheme}.png`, fullPage: true });
    expect(await axeViolations(page), `axe, preview open, ${scheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // Saved as it is, the server refuses the mapping and the form says so next to First name.
  await page.getByRole('button', { name: 'Add source' }).click();
  await expect(firstName.getByRole('alert')).toHaveText('required by BambooHR');
  await expect(firstName.getByRole('combobox', { name: /First name/ })).toHaveAttribute('aria-invalid', 'true');

  // Back to the default mapping: nothing missing, and the source saves.
  await page.getByRole('button', { name: 'Reset to default mapping' }).click();
  await expect(missing).toHaveCount(0);
  await expect(body).toContainText('"firstName": "Ada"');
  await page.getByRole('button', { name: 'Add source' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `E2E preview ${label}` })).toBeVisible();
  const savedId = new URL(page.url()).pathname.split('/').pop()!;
  try {
    // The edit page previews the stored source: its stored key only says that the header exists.
    const stored = page.getByTestId('source-preview');
    await stored.getByLabel('Candidate').selectOption({ label: `${name} · ${posting.title}` });
    await expect(stored.getByRole('region', { name: 'Request line and headers' })).toContainText(
      'authorization: Basic ••••••',
    );
    await expect(stored.getByRole('region', { name: 'Request body' })).toContainText('"firstName": "Ada"');
    expect(await stored.textContent()).not.toContain(API_KEY);
  } finally {
    await removeSource(page, savedId);
  }
});

// Issue 20 item 7: a delivery's external id links to the record in the target's own UI.
test("a task's delivery to HiBob links its external id to the employee's page in Bob", async ({ page, context }) => {
  const bob = await startFakeHiBob({ sites: ['Berlin'] });
  let source: { id: string } | undefined;
  try {
    await signIn(page, 'admin', '/recruitment/jobs');
    const headers = await csrfHeaders(page);
    const tag = Math.random()
      .toString(36)
      .replace(/[^a-z]/g, '')
      .slice(0, 6);
    const created = await ok(
      await page.request.post('/api/v1/sources', {
        headers,
        data: {
          name: `E2E Bob ${tag}`,
          connector: 'hibob',
          base_url: bob.baseUrl,
          auth: { type: 'basic', username: bob.serviceUserId, password: bob.token },
        },
      }),
    );
    source = created;
    const job = await ok(
      await page.request.post('/api/v1/jobs', { headers, data: { title: `Bob E2E ${tag}`, location: 'Berlin' } }),
    );
    await ok(
      await page.request.post(`/api/v1/jobs/${job.slug}/candidates`, {
        headers,
        data: {
          first_name: 'Grace',
          last_name: `Bob${tag}`,
          email: `grace-${tag}@example.com`,
          stage: 'hired',
          start_date: '2027-03-01',
        },
      }),
    );
    const started = await page.request.post(`/api/v1/jobs/${job.slug}/sync-hired-candidates`, {
      headers,
      data: { source_ids: [created.id] },
    });
    expect(started.status(), await started.text()).toBe(202);
    const { task_id } = await started.json();
    await expect
      .poll(async () => (await ok(await page.request.get(`/api/v1/sync-admin/tasks/${task_id}`))).status, {
        timeout: 60_000,
      })
      .toBe('completed');
    const [employee] = [...bob.employees.values()];
    expect(employee).toMatchObject({ firstName: 'Grace', work: { site: 'Berlin', startDate: '2027-03-01' } });

    await page.goto(`/sync-admin/tasks/${task_id}`);
    const link = page.getByRole('link', { name: new RegExp(`^${employee.id}`) }).first();
    const href = `https://app.hibob.com/employee-profile/${employee.id}`;
    await expect(link).toHaveAttribute('href', href);
    // Bob's page is not on this machine's network: answered here, so the click can be followed.
    await context.route('https://app.hibob.com/**', (route) =>
      route.fulfill({ contentType: 'text/plain', body: 'Bob' }),
    );
    const [tab] = await Promise.all([page.waitForEvent('popup'), link.click()]);
    expect(tab.url()).toBe(href);
    await tab.close();
  } finally {
    if (source) await removeSource(page, source.id);
    await bob.close();
  }
});
