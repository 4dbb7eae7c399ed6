import { expect, type Page, test } from '@playwright/test';
import { createPostingWithHired, MOCK_URL, csrfHeaders, mockControl, ok, signIn } from './fixtures';

import { axeViolations, checkBothSchemes, SCREENSHOTS } from './axe';

async function storedPause(page: Page, id: string): Promise<{ kind: string; reason: string } | null> {
  return (
    (await ok(await page.request.get(`/api/v1/sources/${id}`))) as { pause: { kind: string; reason: string } | null }
  ).pause;
}

test('an admin pauses a source on the list, sees why on its page, and resumes it there; both pages are axe clean', async ({
  page,
}) => {
  const name = `E2E paused ${Date.now().toString(36)}`;
  await signIn(page, 'admin', '/sync-admin/sources');
  const created = await ok(
    await page.request.post('/api/v1/sources', {
      headers: await csrfHeaders(page),
      data: {
        name,
        connector: 'generic_webhook',
        base_url: MOCK_URL,
        sync_endpoint: '/paused/hired',
        method: 'POST',
        auth: { type: 'none' },
        headers: {},
        field_mapping: {},
        timeout_ms: 5000,
        max_concurrency: 4,
        max_attempts: 3,
        is_active: true,
      },
    }),
  );
  const id = created.id as string;
  try {
    await page.reload();
    const row = page.getByRole('row').filter({ hasText: name });
    await row.getByRole('button', { name: `Pause ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Pause ${name}?` });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('nothing is sent and no attempt is counted');
    await expect(dialog).toContainText('To stop for good, deactivate it instead.');
    await dialog.getByLabel('Reason (optional)').fill('Payroll migration this weekend');
    await page.screenshot({ path: `${SCREENSHOTS}/source-pause-dialog.png` });
    await dialog.getByRole('button', { name: 'Pause source' }).click();
    await expect(page.getByRole('status').filter({ hasText: `${name} is paused` })).toBeVisible();
    await expect(row.getByTestId('source-pause')).toContainText('Paused by an admin');
    await expect(row.getByTestId('source-pause')).toContainText('Payroll migration this weekend');
    await expect(row.getByRole('button', { name: `Resume ${name}` })).toBeVisible();
    expect(await storedPause(page, id)).toMatchObject({ kind: 'admin', reason: 'Payroll migration this weekend' });
    await checkBothSchemes(page, 'sources-list-paused', axeViolations);

    await page.getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.getByTestId('source-pause')).toContainText('Payroll migration this weekend');
    await checkBothSchemes(page, 'source-page-paused', axeViolations);

    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    const resume = page.getByRole('dialog', { name: `Resume ${name}?` });
    await expect(resume).toContainText('Deliveries waiting for it are sent now');
    await resume.getByRole('button', { name: 'Resume source' }).click();
    await expect(page.getByRole('status').filter({ hasText: `${name} is resumed` })).toBeVisible();
    await expect(page.getByTestId('source-pause')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
    expect(await storedPause(page, id)).toBeNull();
    await checkBothSchemes(page, 'source-page-resumed', axeViolations);
  } finally {
    // The specs share one database: later syncs must see only the demo sources.
    const removed = await page.request.delete(`/api/v1/sources/${id}`, { headers: await csrfHeaders(page) });
    expect(removed.status()).toBe(200);
  }
});

test('a sync to a paused source waits in the modal, saying why, and completes once the source is resumed', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await mockControl('/_mock/reset');
  await signIn(page, 'admin');
  const posting = await createPostingWithHired(page, 2, 'Held');
  const headers = await csrfHeaders(page);
  const name = `Held hook ${posting.slug.slice(-6)}`;
  const source = await ok(
    await page.request.post('/api/v1/sources', {
      headers,
      data: { name, connector: 'generic_webhook', base_url: MOCK_URL, sync_endpoint: '/held-hook', max_attempts: 3 },
    }),
  );
  try {
    await ok(
      await page.request.post(`/api/v1/sources/${source.id}/pause`, {
        headers,
        data: { reason: 'HR system upgrade' },
      }),
    );
    await page.goto(`/recruitment/jobs/${posting.slug}/hired`);
    await expect(page.getByRole('columnheader', { name })).toBeVisible();
    await page.getByRole('button', { name: /^Sync to Sources/ }).click();

    const dialog = page.getByRole('dialog', { name: 'Sync to Sources' });
    const row = dialog.getByTestId('sync-source').filter({ hasText: name });
    await expect(row.getByTestId('source-paused')).toContainText(
      `2 waiting: ${name} is paused until an admin resumes it (HR system upgrade)`,
      { timeout: 60_000 },
    );
    await expect(dialog.getByRole('status').filter({ hasText: 'Waiting for paused sources…' })).toContainText(
      `${name} paused until resumed.`,
    );
    await expect(dialog.getByTestId('sync-legend')).toContainText('2 paused');
    await checkBothSchemes(page, 'sync-modal-source-paused', axeViolations);

    await ok(await page.request.post(`/api/v1/sources/${source.id}/resume`, { headers }));
    await expect(dialog.getByTestId('sync-status')).toHaveText('Sync completed', { timeout: 120_000 });
    await expect(row.getByTestId('source-paused')).toHaveCount(0);
    await expect(row).toContainText('Completed · 2 of 2 done');
  } finally {
    await ok(await page.request.delete(`/api/v1/sources/${source.id}`, { headers }));
  }
});
