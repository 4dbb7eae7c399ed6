import { expect, test } from '@playwright/test';
import { csrfHeaders, signIn, MOCK_URL } from './fixtures';

// The demo mock receiver that `npm start` runs beside the product (MOCK_SOURCE_PORT).

test('an admin creates a schedule and a source, tests the connection and finds both in the audit trail', async ({
  page,
}) => {
  const stamp = Date.now().toString(36);
  const scheduleName = `E2E schedule ${stamp}`;
  const sourceName = `E2E HRIS ${stamp}`;
  await signIn(page, 'admin', '/sync-admin/schedules');
  await expect(page.getByRole('heading', { level: 1, name: 'Schedules' })).toBeVisible();

  // A schedule: preset, time zone, live preview of the next runs, one posting.
  await page.getByRole('link', { name: 'New schedule' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New schedule' })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(scheduleName);
  await page.getByLabel('Runs', { exact: true }).selectOption({ label: 'Weekdays at 08:00' });
  await expect(page.getByLabel('Cron expression')).toHaveValue('0 8 * * 1-5');
  await page.getByLabel('Time zone').selectOption('Europe/Berlin');
  const nextRuns = page.getByRole('list', { name: 'Next run times' });
  await expect(page.getByText('In Europe/Berlin')).toBeVisible();
  await expect(nextRuns.getByRole('listitem')).toHaveCount(5);
  for (const item of await nextRuns.getByRole('listitem').all()) {
    await expect(item).toContainText(/(Mon|Tue|Wed|Thu|Fri).*08:00/);
  }

  // A cron expression the scheduler cannot read is explained before saving.
  await page.getByLabel('Cron expression').fill('0 25 * * *');
  await expect(page.getByLabel('Runs', { exact: true })).toHaveValue('custom');
  await expect(page.getByRole('alert').filter({ hasText: 'hour 25' })).toContainText('is not between 0 and 23');
  await page.getByLabel('Cron expression').fill('*/15 * * * *');
  await expect(page.getByLabel('Runs', { exact: true })).toHaveValue('*/15 * * * *');
  await expect(nextRuns.getByRole('listitem')).toHaveCount(5);

  await page.getByRole('radio', { name: 'One posting' }).check();
  await page.getByRole('button', { name: 'Create schedule' }).click();
  await expect(page.getByText('Choose a posting', { exact: true })).toBeVisible();
  await page.getByLabel('Find a posting').fill('Backend');
  await page.getByLabel('Posting', { exact: true }).selectOption('senior-backend-engineer');
  await page.getByRole('button', { name: 'Create schedule' }).click();

  await expect(page).toHaveURL(/\/sync-admin\/schedules\?saved=/);
  await expect(page.getByRole('status')).toContainText(`${scheduleName} was saved. Next run:`);
  const scheduleRow = page.getByRole('row').filter({ hasText: scheduleName });
  await expect(scheduleRow).toContainText('Every 15 minutes');
  await expect(scheduleRow).toContainText('Senior Backend Engineer');
  await expect(scheduleRow).toContainText('Enabled');
  await scheduleRow.getByRole('button', { name: `Disable ${scheduleName}` }).click();
  await expect(page.getByRole('status')).toContainText(`${scheduleName} is disabled`);
  await expect(scheduleRow).toContainText('Disabled');

  // A source: field errors from the form and from the API, then write-only secrets.
  await page.getByRole('link', { name: 'Sources', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sources' })).toBeVisible();
  await page.getByRole('link', { name: 'Add source' }).click();
  await page.getByLabel('Name', { exact: true }).fill('HR system (demo)');
  await page.getByLabel('Base URL').fill('ftp://files.example.com');
  await page.getByRole('button', { name: 'Add source' }).click();
  await expect(page.getByLabel('Base URL')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Must use http or https, not ftp')).toBeVisible();
  await page.getByLabel('Base URL').fill(MOCK_URL);
  await page.getByLabel('Endpoint path').fill('/hris/hired');
  await page.getByLabel('Authentication', { exact: true }).selectOption('bearer');
  await page.getByRole('button', { name: 'Add source' }).click();
  await expect(page.getByLabel('Token')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Token').fill('e2e-bearer-token-9f3c');
  await page.getByRole('button', { name: 'Add source' }).click();
  // The name is taken: the API's 409 is shown next to the field.
  await expect(page.getByText('A source named "HR system (demo)" already exists')).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(sourceName);
  await page.getByRole('button', { name: 'Add source' }).click();

  await expect(page.getByRole('heading', { level: 1, name: sourceName })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'was added' })).toBeVisible();
  await expect(page.getByText('•••• 9f3c (set)')).toBeVisible();
  await expect(page.getByLabel('Token')).toHaveValue('');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('test-result')).toContainText('Connection OK · Healthy · HTTP 200');

  await page.getByRole('link', { name: '← All sources' }).click();
  const sourceRow = page.getByRole('row').filter({ hasText: sourceName });
  await expect(sourceRow).toContainText('Healthy');
  await sourceRow.getByRole('button', { name: `Test connection ${sourceName}` }).click();
  await expect(sourceRow.getByTestId('test-result')).toContainText(/Connection OK · Healthy · HTTP 200 · \d+ ms/);

  // The audit trail: who did it, filtered by action.
  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit trail' })).toBeVisible();
  await page.getByLabel('Action').selectOption('schedule.*');
  const audit = page.getByRole('table', { name: 'Audit events, newest first' });
  const created = audit.getByRole('row').filter({ hasText: 'Schedule created' }).filter({ hasText: scheduleName });
  await expect(created).toContainText('admin@example.com');
  await expect(created).toContainText('*/15 * * * *');
  await expect(audit.getByRole('row').filter({ hasText: 'Schedule disabled' }).first()).toContainText(scheduleName);

  await page.getByLabel('Action').selectOption('source.*');
  await page.getByLabel('Actor').fill('admin@example');
  await expect(audit.getByRole('row').filter({ hasText: 'Source added' }).filter({ hasText: sourceName })).toHaveCount(
    1,
  );
  await expect(audit.getByRole('row').filter({ hasText: 'Source tested' }).filter({ hasText: sourceName })).toHaveCount(
    2,
  );
  await expect(audit.getByRole('row').filter({ hasText: 'Schedule created' })).toHaveCount(0);
  // The filters live in the address: a reload (or a shared link) shows the same filtered trail.
  await expect(page).toHaveURL(/action=source\.\*/);
  await expect(page).toHaveURL(/actor=admin%40example/);
  await page.reload();
  await expect(page.getByLabel('Action')).toHaveValue('source.*');
  await expect(page.getByLabel('Actor')).toHaveValue('admin@example');
  await expect(audit.getByRole('row').filter({ hasText: 'Source added' }).filter({ hasText: sourceName })).toHaveCount(
    1,
  );
  await expect(audit.getByRole('row').filter({ hasText: 'Schedule created' })).toHaveCount(0);

  // The specs share one database: remove the extra active source so later syncs see only the demo ones.
  const sources = (await (await page.request.get('/api/v1/sources')).json()) as {
    data: { id: string; name: string }[];
  };
  const extraSource = sources.data.find((s) => s.name === sourceName)!;
  const removed = await page.request.delete(`/api/v1/sources/${extraSource.id}`, {
    headers: await csrfHeaders(page),
  });
  expect(removed.status()).toBe(200);
});

test('a recruiter is refused the schedules, sources and audit pages', async ({ page }) => {
  await signIn(page, 'recruiter');
  for (const path of [
    '/sync-admin/schedules',
    '/sync-admin/schedules/new',
    '/sync-admin/sources',
    '/sync-admin/sources/new',
    '/sync-admin/audit',
  ]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole('heading', { name: 'You don’t have access to this page' })).toBeVisible();
  }
  const api = await page.request.get('/api/v1/audit');
  expect(api.status()).toBe(403);
});
