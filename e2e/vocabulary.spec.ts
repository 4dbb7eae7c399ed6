import { expect, type Page, test } from '@playwright/test';
import { csrfHeaders, signIn, MOCK_URL, mockControl, ok, createPostingWithHired } from './fixtures';

const SCREENSHOTS = 'test-results/e2e/screenshots';

type RunStatus = {
  task_id: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  progress: { total: number; succeeded: number; failed: number; skipped: number; cancelled: number };
  sources: { name: string; total: number; succeeded: number; skipped: number }[];
};

const modal = (page: Page) => page.getByRole('dialog', { name: 'Sync to Sources' });

/** Clicks Sync to Sources and waits, in the dialog, for the run to finish; answers the run as the API has it. */
async function syncAndWait(page: Page, seeRunning = false): Promise<RunStatus> {
  const started = page.waitForResponse(
    (res) => res.request().method() === 'POST' && res.url().includes('/sync-hired-candidates'),
  );
  await page.getByRole('button', { name: /^Sync to Sources/ }).click();
  const { task_id: taskId } = await (await started).json();
  if (seeRunning) await expect(modal(page).getByText('Elapsed')).toBeVisible();
  await expect(modal(page).getByTestId('sync-status')).toHaveText('Sync completed', { timeout: 30_000 });
  return ok(await page.request.get(`/recruitment/sync/task/${taskId}/status/`));
}

/** m:ss, as a person reads a duration; computed here from the API's timestamps, not by the app's code. */
function minutesSeconds(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

test.beforeEach(async () => {
  await mockControl('/_mock/reset');
});

test('a run where everything was already up to date says so in the same words and numbers everywhere', async ({
  page,
}) => {
  await signIn(page, 'admin');
  const { slug } = await createPostingWithHired(page, 3, 'Words');
  await page.goto(`/recruitment/jobs/${slug}/hired`);

  // A slower first run, so its clock is seen running and its "Took" is over a second.
  await mockControl('/_mock/config', { path: '/hris', latency_ms: 1200 });
  const first = await syncAndWait(page, true);
  await expect(modal(page).getByTestId('sync-duration')).toHaveText(
    minutesSeconds(Date.parse(first.finished_at ?? '') - Date.parse(first.started_at ?? '')),
  );
  const n = first.progress.total;
  expect(n).toBeGreaterThan(0);
  expect(first.progress.succeeded).toBe(n);
  await expect(modal(page).getByTestId('sync-summary')).toHaveText(`${n} of ${n} done: ${n} delivered.`);
  await page.keyboard.press('Escape');
  await expect(modal(page)).toBeHidden();

  // The same candidates again: nothing changed, so every delivery is already up to date.
  const second = await syncAndWait(page);
  expect(second.progress).toMatchObject({ total: n, succeeded: 0, skipped: n, failed: 0 });
  const sentence = `${n} of ${n} done: ${n} already up to date`;
  const dialog = modal(page);
  await expect(dialog.getByTestId('sync-summary')).toHaveText(`${sentence}.`);
  // The legend under the bar and the per-source columns use the summary's words and numbers.
  await expect(dialog.getByTestId('sync-legend')).toHaveText(`${n} already up to date`);
  for (const source of second.sources) {
    const row = dialog.getByTestId('sync-source').filter({ hasText: source.name });
    await expect(row).toContainText(`Completed · ${source.total} of ${source.total} done`);
    const upToDate = row.getByTestId('sync-source-skipped');
    await expect(upToDate.getByRole('term')).toHaveText('Already up to date');
    await expect(upToDate.getByRole('definition')).toHaveText(String(source.skipped));
    const delivered = row.getByTestId('sync-source-succeeded');
    await expect(delivered.getByRole('term')).toHaveText('Delivered');
    await expect(delivered.getByRole('definition')).toHaveText('0');
  }
  await expect(dialog.getByText(/skipped/i)).toHaveCount(0);
  // "Took" is the run's own time, from its start to its end, in the clock's format.
  await expect(dialog.getByText('Took')).toBeVisible();
  await expect(dialog.getByTestId('sync-duration')).toHaveText(
    minutesSeconds(Date.parse(second.finished_at ?? '') - Date.parse(second.started_at ?? '')),
  );
  await page.screenshot({ path: `${SCREENSHOTS}/vocabulary-modal.png` });
  await page.keyboard.press('Escape');

  // The task list: the run's row says the same sentence.
  const short = second.task_id.slice(0, 8);
  await page.goto(`/sync-admin/tasks?posting=${encodeURIComponent(slug)}`);
  const row = page.getByRole('row').filter({ hasText: short });
  await expect(row).toContainText('Completed');
  await expect(row.getByTestId('delivery-summary')).toHaveText(sentence);
  const firstRow = page.getByRole('row').filter({ hasText: first.task_id.slice(0, 8) });
  await expect(firstRow.getByTestId('delivery-summary')).toHaveText(`${n} of ${n} done: ${n} delivered`);
  await page.screenshot({ path: `${SCREENSHOTS}/vocabulary-tasks.png` });

  // The task's page: the counters, the bar's line, each source and each delivery agree.
  await row.getByRole('link', { name: short }).click();
  await expect(page.getByRole('heading', { name: `Run ${short}` })).toBeVisible();
  const counters = page.getByTestId('task-counters');
  await expect(counters).toContainText(`Already up to date${n}`);
  await expect(counters).toContainText('Delivered0');
  const summaries = page.getByTestId('delivery-summary');
  await expect(summaries.first()).toHaveText(sentence);
  for (const source of second.sources) {
    await expect(page.getByTestId('task-sources').getByRole('row').filter({ hasText: source.name })).toContainText(
      `${source.total} of ${source.total} done: ${source.skipped} already up to date`,
    );
  }
  const deliveries = page.getByRole('table', { name: 'Deliveries of this run' });
  await expect(deliveries.getByText('Already up to date', { exact: true })).toHaveCount(n);
  await expect(page.getByText(/skipped/i)).toHaveCount(0);
  await page.screenshot({ path: `${SCREENSHOTS}/vocabulary-task.png`, fullPage: true });
});

test('the dashboard calls an endpoint failing from its first failed attempt, not "delivering"', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/sync-admin');
  const headers = await csrfHeaders(page);
  await mockControl('/_mock/config', { path: '/words-hook', mode: 'status', fail_status: 503 });
  const endpoint = await ok(
    await page.request.post('/api/v1/webhooks', {
      headers,
      data: { name: 'Words hook', url: `${MOCK_URL}/words-hook`, events: ['sync.failed'] },
    }),
  );
  try {
    await ok(await page.request.post(`/api/v1/webhooks/${endpoint.id}/test`, { headers }));
    // The receiver refused the first attempt; the delivery now waits to retry (minutes, at the defaults).
    await expect
      .poll(async () => (await ok(await page.request.get(`/api/v1/webhooks/${endpoint.id}`))).retrying, {
        timeout: 30_000,
      })
      .toBe(1);
    await page.reload();
    const failing = page.getByTestId('webhooks-failing').getByRole('listitem').filter({ hasText: 'Words hook' });
    await expect(failing).toContainText('Failing');
    await expect(failing).toContainText('1 delivery waiting to retry');
  } finally {
    await ok(await page.request.delete(`/api/v1/webhooks/${endpoint.id}`, { headers }));
  }
});
