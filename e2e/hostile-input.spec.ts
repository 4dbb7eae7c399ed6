import { expect, test } from '@playwright/test';
import { csrfHeaders, signIn, USERS } from './fixtures';

// Issue 12, item 8: a NUL in any text input is refused, never a 500, through the real server.
test.describe('control characters through the running product', () => {
  test('sign-in with a NUL in the email or password is an ordinary failed sign-in', async ({ page }) => {
    await page.goto('/login');
    for (const [email, password] of [
      [`${USERS.admin.email}\u0000`, USERS.admin.password],
      [USERS.admin.email, `${USERS.admin.password}\u0000`],
    ]) {
      const { csrfToken } = await (await page.request.get('/api/auth/csrf')).json();
      const res = await page.request.post('/api/auth/callback/credentials', {
        form: { email, password, csrfToken, json: 'true' },
        maxRedirects: 0,
      });
      expect(res.status(), await res.text()).toBeLessThan(500);
      expect((await page.context().cookies()).some((c) => c.name.endsWith('next-auth.session-token'))).toBe(false);
    }
  });

  test('API bodies and queries with a NUL get 422 / 400', async ({ page }) => {
    await signIn(page, 'admin', '/sync-admin/tasks');
    const headers = await csrfHeaders(page);
    const job = await page.request.post('/api/v1/jobs', { data: { title: 'Nul\u0000title' }, headers });
    expect(job.status()).toBe(422);
    expect((await job.json()).error).toMatchObject({ code: 'validation_failed', details: [{ path: 'title' }] });
    const search = await page.request.get('/api/v1/jobs?q=%00');
    expect(search.status()).toBe(400);
    expect((await search.json()).error.code).toBe('invalid_query');
  });

  test('the sync tasks page with a NUL in its search filter still renders', async ({ page }) => {
    await signIn(page, 'admin', '/sync-admin/tasks');
    const tasks = await page.goto('/sync-admin/tasks?q=%00');
    expect(tasks?.status()).toBe(200);
    await expect(page.getByRole('heading', { name: 'Sync tasks' })).toBeVisible();
  });
});
