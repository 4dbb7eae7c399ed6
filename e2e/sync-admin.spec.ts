import { expect, type Page, test } from '@playwright/test';
import { signIn, csrfHeaders, mockControl, ok, createPostingWithHired } from './fixtures';

const SCREENSHOTS = 'test-results/e2e/screenshots';
const DEMO_SOURCES = ['HR system (demo)', 'Payroll (demo)'];

type Stats = {
  runs: Record<string, number>;
  deliveries: { total: number; succeeded: number; failed: number; skipped: number };
  success_rate: number | null;
  by_source: { name: string; succeeded: number; failed: number }[];
};

/** A fresh posting with hired candidates and a sync of it to both demo sources, through the API. */
async function syncNewPosting(page: Page, hired: number): Promise<{ slug: string; taskId: string }> {
  const job = await createPostingWithHired(page, hired, 'Admin');
  const headers = await csrfHeaders(page);
  // Only the two demo sources, whatever other specs added: the counts below depend on it.
  const sources: { id: string; name: string }[] = (await ok(await page.request.get('/api/v1/sources'))).data;
  const source_ids = sources.filter((s) => DEMO_SOURCES.includes(s.name)).map((s) => s.id);
  expect(source_ids).toHaveLength(2);
  const started = await ok(
    await page.request.post(`/recruitment/jobs/${job.slug}/sync-hired-candidates/`, { headers, data: { source_ids } }),
  );
  return { slug: job.slug, taskId: started.task_id };
}

async function waitForRun(page: Page, taskId: string, status: string) {
  await expect
    .poll(async () => (await ok(await page.request.get(`/api/v1/sync-admin/tasks/${taskId}`))).status, {
      timeout: 30_000,
    })
    .toBe(status);
}

async function stats(page: Page): Promise<Stats> {
  return ok(await page.request.get('/api/v1/sync-admin/sync-stats/?window=24h'));
}

const count = (n: number) => new Intl.NumberFormat('en').format(n);

test.beforeEach(async () => {
  await mockControl('/_mock/reset');
});

test.afterAll(async () => {
  await mockControl('/_mock/reset');
});

test('the dashboard and the tasks list show a sync the admin just ran', async ({ page }) => {
  await signIn(page, 'admin');
  const before = await stats(page);
  const { slug, taskId } = await syncNewPosting(page, 3);
  await waitForRun(page, taskId, 'completed');

  // Three candidates to the two demo sources: six deliveries more, all delivered.
  const after = await stats(page);
  expect(after.deliveries.succeeded - before.deliveries.succeeded).toBe(6);
  expect(after.deliveries.total - before.deliveries.total).toBe(6);
  expect(after.runs.completed - before.runs.completed).toBe(1);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sync admin' }).click();
  await expect(page.getByRole('heading', { name: 'Sync dashboard' })).toBeVisible();
  await expect(page.getByTestId('stat-deliveries')).toContainText(count(after.deliveries.total));
  await expect(page.getByTestId('stat-deliveries')).toContainText(`${count(after.deliveries.succeeded)} delivered`);
  await expect(page.getByTestId('runs-by-status').locator('[data-status="completed"]')).toHaveText(
    count(after.runs.completed),
  );
  const table = page.getByTestId('sources-table');
  for (const source of after.by_source.filter((s) => s.succeeded > 0)) {
    await expect(table.getByRole('row').filter({ hasText: source.name })).toContainText(count(source.succeeded));
  }
  await expect(page.getByTestId('workers')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/sync-admin-dashboard.png`, fullPage: true });

  await page.getByRole('navigation', { name: 'Sync admin' }).getByRole('link', { name: 'Tasks' }).click();
  await page.getByLabel('Task id or candidate email').fill(taskId.slice(0, 8));
  await expect(page).toHaveURL(new RegExp(`q=${taskId.slice(0, 8)}`));
  const row = page.getByRole('row').filter({ hasText: taskId.slice(0, 8) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Completed');
  await expect(row).toContainText(slug);
  await expect(row).toContainText('6 of 6 done: 6 delivered');
  await page.screenshot({ path: `${SCREENSHOTS}/sync-admin-tasks.png`, fullPage: true });

  await row.getByRole('link', { name: taskId.slice(0, 8) }).click();
  await expect(page.getByRole('heading', { name: `Run ${taskId.slice(0, 8)}` })).toBeVisible();
  await expect(page.getByTestId('task-counters')).toContainText('Delivered6');
  await expect(page.getByText('Avery Admin').first()).toBeVisible();

  // The statistics page has the same posting in its per-posting table.
  await page.getByRole('navigation', { name: 'Sync admin' }).getByRole('link', { name: 'Statistics' }).click();
  await expect(page.getByRole('heading', { name: 'Sync statistics' })).toBeVisible();
  await expect(page.getByTestId('postings-table').getByRole('row').filter({ hasText: slug })).toContainText('100%');
});

test('an admin opens a failed run, sees what was sent and why it failed, and retries it', async ({ page }) => {
  await mockControl('/_mock/config', { path: '/payroll', mode: 'status', fail_status: 400 });
  await signIn(page, 'admin');
  const { taskId } = await syncNewPosting(page, 2);
  await waitForRun(page, taskId, 'partially_failed');

  await page.goto('/sync-admin/tasks?status=failed,partially_failed');
  const row = page.getByRole('row').filter({ hasText: taskId.slice(0, 8) });
  await expect(row).toContainText('Finished with failures');
  await expect(row).toContainText('2 failed');
  await row.getByRole('link', { name: taskId.slice(0, 8) }).click();

  await expect(page.getByRole('heading', { name: `Run ${taskId.slice(0, 8)}` })).toBeVisible();
  await expect(page.getByTestId('task-counters')).toContainText('Failed2');
  await page.getByLabel('Status').selectOption('failed');
  const failures = page
    .getByRole('region', { name: 'Every delivery' })
    .getByRole('row')
    .filter({ hasText: 'Payroll (demo)' });
  await expect(failures).toHaveCount(2);
  await expect(failures.first()).toContainText('400');
  await failures
    .first()
    .getByRole('button', { name: /^Details/ })
    .click();
  const details = page.getByTestId('delivery-details');
  await expect(details).toContainText('POST');
  await expect(details).toContainText('/payroll/batch');
  // The API key header was redacted before the request was stored.
  await expect(details).not.toContainText('demo_');
  await page.screenshot({ path: `${SCREENSHOTS}/sync-admin-failed-run.png`, fullPage: true });

  await mockControl('/_mock/reset');
  await page.getByRole('button', { name: 'Retry failed (2)' }).click();
  await expect(page.getByText('2 failed deliveries are queued again.')).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveText('Completed', { timeout: 30_000 });
  await expect(page.getByTestId('task-counters')).toContainText('Delivered4');
  await expect(page.getByTestId('task-counters')).toContainText('Failed0');
});

test('a recruiter is refused every sync admin page and API', async ({ page }) => {
  await signIn(page, 'recruiter');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sync admin' })).toHaveCount(0);
  for (const path of [
    '/sync-admin',
    '/sync-admin/sync-dashboard',
    '/sync-admin/tasks',
    '/sync-admin/tasks/00000000-0000-4000-8000-000000000000',
  ]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole('heading', { name: /don’t have access/ })).toBeVisible();
  }
  for (const path of [
    '/api/v1/sync-admin/sync-stats/?window=24h',
    '/api/v1/sync-admin/sync-stats/report?window=7d',
    '/api/v1/sync-admin/tasks',
    '/api/v1/sync-admin/tasks/00000000-0000-4000-8000-000000000000',
  ]) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
  }
  await page.goto('/recruitment/jobs');
  const bulk = await page.request.post('/api/v1/sync-admin/tasks/bulk', {
    headers: await csrfHeaders(page),
    data: { action: 'cancel', filter: {} },
  });
  expect(bulk.status()).toBe(403);
});
