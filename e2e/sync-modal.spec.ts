import { expect, type Page, test } from '@playwright/test';
import { type Role, signIn, MOCK_URL, mockControl, createPostingWithHired } from './fixtures';

const SCREENSHOTS = 'test-results/e2e/screenshots';
const HRIS = 'HR system (demo)';
const PAYROLL = 'Payroll (demo)';

type Received = { path: string; json: any };

async function receivedFor(slug: string): Promise<{ hris: number; payroll: number }> {
  const res = await fetch(`${MOCK_URL}/_mock/requests?limit=50000`);
  const { requests } = (await res.json()) as { requests: Received[] };
  const hris = requests.filter((r) => r.path.startsWith('/hris') && r.json?.data?.job?.slug === slug).length;
  const payroll = requests
    .filter((r) => r.path.startsWith('/payroll'))
    .flatMap((r) => (r.json?.candidates ?? []) as { job?: { slug?: string } }[])
    .filter((c) => c.job?.slug === slug).length;
  return { hris, payroll };
}

async function openHired(page: Page, role: Role, hired: number) {
  await signIn(page, role);
  const posting = await createPostingWithHired(page, hired, 'Sync');
  await page.goto(`/recruitment/jobs/${posting.slug}/hired`);
  await expect(page.getByRole('columnheader', { name: HRIS })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: PAYROLL })).toBeVisible();
  return posting;
}

const modal = (page: Page) => page.getByRole('dialog', { name: 'Sync to Sources' });
const syncButton = (page: Page) => page.getByRole('button', { name: /^Sync to Sources/ });
const sourceRow = (page: Page, name: string) => modal(page).getByTestId('sync-source').filter({ hasText: name });

test.beforeEach(async () => {
  await mockControl('/_mock/reset');
});

test('a recruiter syncs hired candidates and watches the progress to the end', async ({ page }) => {
  const posting = await openHired(page, 'recruiter', 4);
  const table = page.getByRole('table', { name: /^Hired candidates for/ });
  await expect(table.getByRole('row', { name: new RegExp(posting.names[0]) })).toContainText('Never synced');

  // The HR system answers and payroll is held until the test lets it go, so the run is visibly
  // half done for as long as the checks take.
  await mockControl('/_mock/config', { path: '/hris', latency_ms: 300 });
  await mockControl('/_mock/config', { path: '/payroll', mode: 'hold' });
  await syncButton(page).click();

  const dialog = modal(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('sync-status')).toHaveText('Sending candidates to the sources…');
  await expect(dialog.getByTestId('sync-progress')).toHaveText('4 / 8 · 50%');
  await expect(dialog.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '50');
  await expect(sourceRow(page, HRIS)).toContainText('Completed');
  await expect(sourceRow(page, PAYROLL)).toContainText(/Waiting to start|Running/);
  await expect(dialog.getByText('Elapsed')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/sync-modal-running.png` });
  await mockControl('/_mock/config', { path: '/payroll', mode: 'ok' });
  await mockControl('/_mock/release');

  await expect(dialog.getByTestId('sync-status')).toHaveText('Sync completed', { timeout: 20_000 });
  await expect(dialog.getByTestId('sync-summary')).toHaveText('8 of 8 done: 8 delivered.');
  await expect(dialog.getByTestId('sync-progress')).toHaveText('8 / 8 · 100%');
  await expect(dialog.getByText('Took')).toBeVisible();
  for (const name of [HRIS, PAYROLL]) {
    const row = sourceRow(page, name);
    await expect(row).toContainText('Completed · 4 of 4 done');
    await expect(row.getByRole('definition').first()).toHaveText('4');
  }
  // A recruiter gets no link into the admin area, and nothing to retry or cancel.
  await expect(dialog.getByRole('link', { name: 'View details' })).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: /Retry|Cancel/ })).toHaveCount(0);
  await page.screenshot({ path: `${SCREENSHOTS}/sync-modal-finished.png` });

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  for (const name of posting.names) {
    const row = table.getByRole('row', { name: new RegExp(name) });
    await expect(row.getByText('Delivered', { exact: true })).toHaveCount(2);
  }
  await expect(page.getByRole('button', { name: /Last sync: Completed/ })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/hired-table-synced.png`, fullPage: true });
  await page.setViewportSize({ width: 360, height: 780 });
  await expect(syncButton(page)).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/hired-page-360.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
  expect(await receivedFor(posting.slug)).toEqual({ hris: 4, payroll: 4 });
});

test('a failing source shows why, and "Retry failed" delivers once the source accepts again', async ({ page }) => {
  const posting = await openHired(page, 'recruiter', 3);
  await mockControl('/_mock/config', { path: '/payroll', mode: 'status', fail_status: 400 });
  await syncButton(page).click();

  const dialog = modal(page);
  await expect(dialog.getByTestId('sync-status')).toHaveText('Sync finished with failures', { timeout: 20_000 });
  await expect(dialog.getByTestId('sync-summary')).toHaveText(`6 of 6 done: 3 delivered, 3 failed at ${PAYROLL}.`);
  const failures = dialog.getByTestId('sync-failure');
  await expect(failures).toHaveCount(3);
  for (const name of posting.names) {
    const item = failures.filter({ hasText: name });
    await expect(item).toContainText(`at ${PAYROLL}`);
    await expect(item).toContainText('The source rejected the data (HTTP 400)');
    await expect(item).toContainText('1 attempt');
  }
  await expect(sourceRow(page, PAYROLL)).toContainText('Failed');
  await page.screenshot({ path: `${SCREENSHOTS}/sync-modal-failed.png` });

  await page.setViewportSize({ width: 360, height: 780 });
  await expect(dialog.getByRole('button', { name: 'Retry 3 failed' })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/sync-modal-360.png` });
  await page.setViewportSize({ width: 1280, height: 720 });

  // Closing leaves the outcome on the page: the table says why, the last-sync control reopens it.
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(dialog).toBeHidden();
  const table = page.getByRole('table', { name: /^Hired candidates for/ });
  const first = table.getByRole('row', { name: new RegExp(posting.names[0]) });
  await expect(first.getByText('The source rejected the data (HTTP 400)')).toBeVisible();
  await expect(first.getByText('Delivered', { exact: true })).toHaveCount(1);

  await mockControl('/_mock/reset');
  await page.getByRole('button', { name: /Last sync: Finished with failures/ }).click();
  await dialog.getByRole('button', { name: 'Retry 3 failed' }).click();
  await expect(dialog.getByTestId('sync-status')).toHaveText('Sync completed', { timeout: 20_000 });
  await expect(dialog.getByTestId('sync-summary')).toHaveText('6 of 6 done: 6 delivered.');
  await expect(failures).toHaveCount(0);
  await page.keyboard.press('Escape');
  for (const name of posting.names) {
    await expect(
      table.getByRole('row', { name: new RegExp(name) }).getByText('Delivered', { exact: true }),
    ).toHaveCount(2);
  }
  expect(await receivedFor(posting.slug)).toEqual({ hris: 0, payroll: 3 });
});

test('a double click starts one run, and clicking again while it runs attaches to it', async ({ page }) => {
  const posting = await openHired(page, 'recruiter', 3);
  // The receiver holds every request until the test lets them go: the run is certainly still
  // running when the second click comes, however slow the machine.
  await mockControl('/_mock/config', { mode: 'hold' });
  const started: { task_id: string; deduplicated: boolean }[] = [];
  page.on('response', async (res) => {
    if (res.request().method() === 'POST' && res.url().includes('/sync-hired-candidates'))
      started.push(await res.json());
  });

  await syncButton(page).dblclick();
  const dialog = modal(page);
  await expect(dialog.getByTestId('sync-status')).toHaveText(/Waiting|Sending/);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: /Sync in progress/ })).toBeVisible();

  await syncButton(page).click();
  await expect(dialog.getByText('already being synced, so no second sync was started')).toBeVisible();
  await mockControl('/_mock/config', { mode: 'ok' });
  await mockControl('/_mock/release');
  await expect(dialog.getByTestId('sync-status')).toHaveText('Sync completed', { timeout: 20_000 });

  expect(started.length).toBeGreaterThanOrEqual(2);
  expect(new Set(started.map((s) => s.task_id)).size).toBe(1);
  expect(started[0].deduplicated).toBe(false);
  expect(started.at(-1)?.deduplicated).toBe(true);
  expect(await receivedFor(posting.slug)).toEqual({ hris: 3, payroll: 3 });
});

test('reloading the page while a sync runs shows it and reattaches to its progress', async ({ page }) => {
  await openHired(page, 'recruiter', 2);
  // Held, so the run is still going after the reload, however long the reload takes.
  await mockControl('/_mock/config', { mode: 'hold' });
  const response = page.waitForResponse(
    (res) => res.request().method() === 'POST' && res.url().includes('/sync-hired-candidates'),
  );
  await syncButton(page).click();
  const { task_id: taskId } = await (await response).json();
  await expect(modal(page)).toBeVisible();

  const polled = page.waitForRequest((req) => req.url().includes(`/api/v1/sync-tasks/${taskId}/status`));
  await page.reload();
  await polled;
  const inProgress = page.getByRole('button', { name: /Sync in progress/ });
  await expect(inProgress).toBeVisible();
  await expect(modal(page)).toBeHidden();
  await inProgress.click();
  await expect(modal(page).getByTestId('sync-status')).toHaveText(/Sending candidates/);
  await mockControl('/_mock/config', { mode: 'ok' });
  await mockControl('/_mock/release');
  await expect(modal(page).getByTestId('sync-status')).toHaveText('Sync completed', { timeout: 20_000 });
  await expect(modal(page).getByTestId('sync-summary')).toHaveText('4 of 4 done: 4 delivered.');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: /Last sync: Completed/ })).toBeVisible();
});

test('an admin can open the run in the sync admin from the modal', async ({ page }) => {
  await openHired(page, 'admin', 1);
  const response = page.waitForResponse(
    (res) => res.request().method() === 'POST' && res.url().includes('/sync-hired-candidates'),
  );
  await syncButton(page).click();
  const { task_id: taskId } = await (await response).json();
  const dialog = modal(page);
  await expect(dialog.getByTestId('sync-status')).toHaveText('Sync completed', { timeout: 20_000 });
  await expect(dialog.getByRole('link', { name: 'View details' })).toHaveAttribute(
    'href',
    `/sync-admin/tasks/${taskId}`,
  );
});

test('the options choose the sources and whether unchanged candidates are sent again', async ({ page }) => {
  const posting = await openHired(page, 'recruiter', 2);
  await page.getByRole('button', { name: 'Options' }).click();
  const options = page.getByRole('dialog', { name: 'Sync options' });
  await options.getByRole('checkbox', { name: new RegExp(PAYROLL.replace(/[()]/g, '\\$&')) }).uncheck();
  await options.getByRole('button', { name: 'Start sync' }).click();
  const dialog = modal(page);
  await expect(dialog.getByTestId('sync-summary')).toHaveText('2 of 2 done: 2 delivered.', { timeout: 20_000 });
  await expect(dialog.getByTestId('sync-source')).toHaveCount(1);
  await page.keyboard.press('Escape');

  // Everything is up to date now; "re-send unchanged" sends the HR system's two again.
  await page
    .getByRole('table', { name: /^Hired candidates for/ })
    .getByRole('checkbox', { name: `Select ${posting.names[0]}` })
    .check();
  await page.getByRole('button', { name: 'Options' }).click();
  await expect(options.getByRole('radio', { name: 'Only the 1 selected in the table' })).toBeChecked();
  await options.getByRole('checkbox', { name: /Re-send unchanged/ }).check();
  await options.getByRole('button', { name: 'Start sync' }).click();
  await expect(dialog.getByTestId('sync-summary')).toHaveText('2 of 2 done: 2 delivered.', { timeout: 20_000 });
  expect(await receivedFor(posting.slug)).toEqual({ hris: 3, payroll: 1 });
});

test('with nobody hired, Sync to Sources is disabled and says why', async ({ page }) => {
  await signIn(page, 'recruiter');
  const posting = await createPostingWithHired(page, 0, 'Sync');
  await page.goto(`/recruitment/jobs/${posting.slug}/hired`);
  await expect(page.getByText('Nobody is hired yet, so there is no one to sync.')).toBeVisible();
  await expect(syncButton(page)).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Options' })).toBeDisabled();
});
