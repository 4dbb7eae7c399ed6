import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { parseCsv } from '../lib/recruiting/csv';
import { axeViolations, checkBothSchemes } from './axe';
import { createPostingWithHired, csrfHeaders, mockControl, ok, signIn } from './fixtures';

const DEMO_SOURCES = ['HR system (demo)', 'Payroll (demo)'];

/** Clicks a download link and answers the file's name and text, as the browser saved it. */
async function download(page: Page, linkName: RegExp): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: linkName }).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

function csvRecords(text: string): Record<string, string>[] {
  const [head, ...rows] = parseCsv(text).map((r) => r.fields);
  return rows.map((fields) => Object.fromEntries(head.map((h, i) => [h, fields[i]])));
}

async function lookRight(page: Page, name: string) {
  await checkBothSchemes(page, `export-${name}`, axeViolations);
}

test.afterAll(async () => {
  await mockControl('/_mock/reset');
});

test('an admin downloads the filtered runs, a run’s failed deliveries and the audit trail as CSV and JSON Lines', async ({
  page,
}) => {
  await mockControl('/_mock/reset');
  await mockControl('/_mock/config', { path: '/payroll', mode: 'status', fail_status: 400 });
  await signIn(page, 'admin');
  const job = await createPostingWithHired(page, 2, 'Export');
  const sources: { id: string; name: string }[] = (await ok(await page.request.get('/api/v1/sources'))).data;
  const source_ids = sources.filter((s) => DEMO_SOURCES.includes(s.name)).map((s) => s.id);
  const started = await ok(
    await page.request.post(`/recruitment/jobs/${job.slug}/sync-hired-candidates/`, {
      headers: await csrfHeaders(page),
      data: { source_ids },
    }),
  );
  const taskId: string = started.task_id;
  await expect
    .poll(async () => (await ok(await page.request.get(`/api/v1/sync-admin/tasks/${taskId}`))).status, {
      timeout: 30_000,
    })
    .toBe('partially_failed');

  // The tasks page filtered to this posting: the file holds the runs the page shows.
  await page.goto(`/sync-admin/tasks?posting=${job.slug}`);
  await expect(page.getByRole('row').filter({ hasText: taskId.slice(0, 8) })).toBeVisible();
  const runs = await download(page, /as CSV$/);
  expect(runs.name).toMatch(/^sync-tasks-\d{8}T\d{6}Z\.csv$/);
  expect(runs.text.startsWith('task_id,status,posting_slug,')).toBe(true);
  const runRows = csvRecords(runs.text);
  expect(runRows).toHaveLength(1);
  expect(runRows[0]).toMatchObject({
    task_id: taskId,
    status: 'partially_failed',
    posting_slug: job.slug,
    failed: '2',
  });
  await lookRight(page, 'tasks');

  // The run's deliveries, filtered to the failures, as JSON Lines.
  await page.goto(`/sync-admin/tasks/${taskId}`);
  await page.getByLabel('Status').selectOption('failed');
  const deliveries = page.getByRole('region', { name: 'Every delivery' });
  await expect(deliveries.getByRole('row').filter({ hasText: 'Payroll (demo)' })).toHaveCount(2);
  const failed = await download(page, /as JSON Lines$/);
  expect(failed.name).toMatch(new RegExp(`^sync-task-${taskId.slice(0, 8)}-deliveries-\\d{8}T\\d{6}Z\\.jsonl$`));
  const lines = failed.text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines).toHaveLength(2);
  for (const line of lines) {
    expect(line).toMatchObject({
      task_id: taskId,
      status: 'failed',
      http_status: 400,
      source: { name: 'Payroll (demo)' },
    });
  }
  expect(failed.text).not.toContain('demo_');
  await lookRight(page, 'task');

  // The audit trail filtered to sync actions: the sync just started is in it.
  await page.goto('/sync-admin/audit');
  await page.getByLabel('Action').selectOption('sync.*');
  // The links carry the filters as soon as they are chosen, as the list asks with them.
  await expect(page.getByRole('link', { name: /as CSV$/ })).toHaveAttribute('href', /action=sync\.\*/);
  const audit = await download(page, /as CSV$/);
  expect(audit.name).toMatch(/^audit-trail-\d{8}T\d{6}Z\.csv$/);
  const events = csvRecords(audit.text);
  expect(events.length).toBeGreaterThan(0);
  expect(events.every((e) => e.action.startsWith('sync.'))).toBe(true);
  expect(events.some((e) => e.action === 'sync.started' && e.target_id === taskId)).toBe(true);
  await lookRight(page, 'audit');
});

test('a recruiter cannot export: the sync admin pages and their exports are for admins', async ({ page }) => {
  await signIn(page, 'recruiter');
  for (const path of [
    '/api/v1/sync-admin/tasks/export?format=csv',
    '/api/v1/sync-admin/tasks/00000000-0000-4000-8000-000000000000/deliveries/export',
    '/api/v1/audit/export?format=jsonl',
  ]) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
  }
});
