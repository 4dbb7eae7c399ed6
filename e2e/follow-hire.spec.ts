import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { MOCK_URL, createPostingWithHired, csrfHeaders, ok, signIn } from './fixtures';

// Issue 21 items 1, 3 and 4: a hire reaches an auto source with no Sync pressed, taking it back
// withdraws it, hiring again rehires it, and the candidate's page and the task page say so.
test("a hire follows to an auto webhook, its withdrawal too, and the candidate's page shows the record", async ({
  page,
  browser,
}) => {
  const tag = Date.now().toString(36);
  const name = `E2E Follow receiver ${tag}`;
  await signIn(page, 'admin', '/sync-admin/sources');
  const headers = await csrfHeaders(page);
  const source = await ok(
    await page.request.post('/api/v1/sources', {
      headers,
      data: {
        name,
        connector: 'generic_webhook',
        base_url: MOCK_URL,
        sync_endpoint: `/e2e-follow-${tag}`,
        sync_mode: 'auto',
      },
    }),
  );
  try {
    expect(source.sync_mode).toBe('auto');
    const posting = await createPostingWithHired(page, 1, 'Follow');
    const [candidateName] = posting.names;

    await page.goto(`/recruitment/jobs/${posting.slug}`);
    await page.getByRole('link', { name: candidateName }).click();
    await expect(page.getByRole('heading', { level: 1, name: candidateName })).toBeVisible();
    const row = page.getByRole('row').filter({ hasText: name });
    // Server-rendered: looked at again until the worker has delivered (no Sync was pressed).
    await expect(async () => {
      await page.reload();
      await expect(row.getByText('Sent', { exact: true })).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 60_000 });
    expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id)).toEqual([]);
    await page.screenshot({ path: 'test-results/screenshots/follow-candidate-sent.png', fullPage: true });
    await expect(page.getByRole('link', { name: posting.title })).toBeVisible();

    const candidateId = page.url().split('/').pop()!;
    // The recruiter, whose page it mostly is, sees the same, in light and dark.
    const recruiterContext = await browser.newContext();
    try {
      const recruiter = await recruiterContext.newPage();
      await signIn(recruiter, 'recruiter', `/recruitment/candidates/${candidateId}`);
      await expect(recruiter.getByRole('heading', { level: 1, name: candidateName })).toBeVisible();
      await expect(
        recruiter.getByRole('row').filter({ hasText: name }).getByText('Sent', { exact: true }),
      ).toBeVisible();
      for (const scheme of ['light', 'dark'] as const) {
        await recruiter.emulateMedia({ colorScheme: scheme });
        expect(
          (await new AxeBuilder({ page: recruiter }).analyze()).violations.map((v) => v.id),
          scheme,
        ).toEqual([]);
        await recruiter.screenshot({
          path: `test-results/screenshots/follow-candidate-recruiter-${scheme}.png`,
          fullPage: true,
        });
      }
    } finally {
      await recruiterContext.close();
    }

    await ok(await page.request.patch(`/api/v1/candidates/${candidateId}`, { headers, data: { stage: 'interview' } }));
    await expect(async () => {
      await page.reload();
      await expect(row.getByText('Withdrawn', { exact: true })).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 60_000 });

    const runs = await ok(await page.request.get(`/api/v1/sync-admin/tasks?posting=${posting.slug}&trigger=hire`));
    expect(runs.data.length).toBe(2);
    await page.goto(`/sync-admin/tasks/${runs.data[0].task_id}`);
    const delivery = page.getByRole('row').filter({ hasText: candidateName });
    await expect(delivery.getByText('Withdraw', { exact: true })).toBeVisible();
    await expect(page.getByText('Hire', { exact: true }).first()).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/follow-task-withdraw.png', fullPage: true });

    // Hired again: the same record comes back (a webhook gets candidate.hired once more), shown as
    // Rehired on the candidate's page and as a Rehire on the task page.
    await ok(await page.request.patch(`/api/v1/candidates/${candidateId}`, { headers, data: { stage: 'hired' } }));
    await page.goto(`/recruitment/candidates/${candidateId}`);
    await expect(async () => {
      await page.reload();
      await expect(row.getByText('Rehired', { exact: true })).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 60_000 });
    expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id)).toEqual([]);
    await page.screenshot({ path: 'test-results/screenshots/follow-candidate-rehired.png', fullPage: true });
    const rehiredContext = await browser.newContext();
    try {
      const recruiter = await rehiredContext.newPage();
      await signIn(recruiter, 'recruiter', `/recruitment/candidates/${candidateId}`);
      await expect(
        recruiter.getByRole('row').filter({ hasText: name }).getByText('Rehired', { exact: true }),
      ).toBeVisible();
      for (const scheme of ['light', 'dark'] as const) {
        await recruiter.emulateMedia({ colorScheme: scheme });
        expect(
          (await new AxeBuilder({ page: recruiter }).analyze()).violations.map((v) => v.id),
          scheme,
        ).toEqual([]);
        await recruiter.screenshot({
          path: `test-results/screenshots/follow-candidate-rehired-recruiter-${scheme}.png`,
          fullPage: true,
        });
      }
    } finally {
      await rehiredContext.close();
    }
    const afterRehire = await ok(
      await page.request.get(`/api/v1/sync-admin/tasks?posting=${posting.slug}&trigger=hire`),
    );
    expect(afterRehire.data.length).toBe(3);
    await page.goto(`/sync-admin/tasks/${afterRehire.data[0].task_id}`);
    await expect(
      page.getByRole('row').filter({ hasText: candidateName }).getByText('Rehire', { exact: true }),
    ).toBeVisible();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(
        (await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id),
        scheme,
      ).toEqual([]);
      await page.screenshot({ path: `test-results/screenshots/follow-task-rehire-${scheme}.png`, fullPage: true });
    }
  } finally {
    // The specs share one database: later hires must not follow to this source.
    const removed = await page.request.delete(`/api/v1/sources/${source.id}`, { headers: await csrfHeaders(page) });
    expect(removed.status()).toBe(200);
  }
});
