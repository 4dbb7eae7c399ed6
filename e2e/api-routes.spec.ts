import { expect, test } from '@playwright/test';
import { createPostingWithHired, csrfHeaders, mockControl, ok, signIn } from './fixtures';

const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const DEMO_SOURCES = ['HR system (demo)', 'Payroll (demo)'];

test.afterAll(async () => {
  await mockControl('/_mock/reset');
});

// Issue 19: every JSON route lives under /api/; the seed's two URL contracts stay where scripts
// call them, as thin re-exports that proxy.ts never sees.
test('the seed URL contracts answer at their old URLs, with and without the trailing slash', async ({
  page,
  request,
}) => {
  const task = '6f1c2b1e-0c9e-4a43-9a51-0a4f3f7f2b10';
  // Signed out: the route's own 401 JSON, never a redirect to /login, the API policy, no CSRF cookie.
  for (const [method, path] of [
    ['GET', `/recruitment/sync/task/${task}/status/`],
    ['GET', `/recruitment/sync/task/${task}/status`],
    ['POST', '/recruitment/jobs/no-such-posting/sync-hired-candidates/'],
    ['POST', '/recruitment/jobs/no-such-posting/sync-hired-candidates'],
    ['GET', `/api/v1/sync-tasks/${task}/status`],
  ] as const) {
    const res = await request.fetch(path, { method, maxRedirects: 0 });
    expect(res.status(), `${method} ${path}`).toBe(401);
    expect((await res.json()).error.code, path).toBe('unauthorized');
    expect(res.headers()['content-security-policy'], path).toBe(API_CSP);
    expect(res.headers()['x-content-type-options'], path).toBe('nosniff');
    expect(res.headers()['set-cookie'], path).toBeUndefined();
  }

  await signIn(page, 'recruiter', '/settings/tokens');
  const headers = await csrfHeaders(page);
  const { token } = await ok(
    await page.request.post('/api/v1/tokens', {
      headers,
      data: { name: `e2e seed urls ${Date.now().toString(36)}`, scopes: ['syncs:write'] },
    }),
  );
  const bearer = { authorization: `Bearer ${token}` };
  const job = await createPostingWithHired(page, 1, 'Seed');
  // The posting's sync state lists the active sources to any signed-in user (/api/v1/sources is for admins).
  const state: { sources: { id: string; name: string }[] } = await ok(
    await page.request.get(`/api/v1/jobs/${job.slug}/sync-state`),
  );
  const source_ids = state.sources.filter((s) => DEMO_SOURCES.includes(s.name)).map((s) => s.id);
  expect(source_ids).toHaveLength(2);

  // Held, so the first run is still active at the later POSTs: they join it (deduplicated), whatever the path form.
  await mockControl('/_mock/config', { mode: 'hold' });
  const started: { task_id: string; status_url: string; deduplicated: boolean }[] = [];
  for (const path of [
    `/recruitment/jobs/${job.slug}/sync-hired-candidates/`,
    `/recruitment/jobs/${job.slug}/sync-hired-candidates`,
    `/api/v1/jobs/${job.slug}/sync-hired-candidates`,
  ]) {
    const res = await request.post(path, { headers: bearer, data: { source_ids }, maxRedirects: 0 });
    expect(res.status(), path).toBe(202);
    expect(res.headers()['content-security-policy'], path).toBe(API_CSP);
    started.push(await res.json());
  }
  const taskId = started[0].task_id;
  expect(started.map((s) => s.task_id)).toEqual([taskId, taskId, taskId]);
  expect(started.map((s) => s.deduplicated)).toEqual([false, true, true]);
  expect(started[0].status_url).toBe(`/recruitment/sync/task/${taskId}/status/`);

  for (const path of [
    started[0].status_url,
    `/recruitment/sync/task/${taskId}/status`,
    `/api/v1/sync-tasks/${taskId}/status`,
  ]) {
    const res = await request.get(path, { headers: bearer, maxRedirects: 0 });
    expect(res.status(), path).toBe(200);
    expect((await res.json()).task_id, path).toBe(taskId);
    expect(res.headers()['content-security-policy'], path).toBe(API_CSP);
  }
  // The session cookie works there too, as for the progress modal.
  expect((await ok(await page.request.get(`/recruitment/sync/task/${taskId}/status/`))).task_id).toBe(taskId);

  await ok(await request.post(`/api/v1/sync-tasks/${taskId}/cancel`, { headers: bearer }));
  await mockControl('/_mock/config', { mode: 'ok' });
  await mockControl('/_mock/release');
});

test('the JSON routes that moved under /api/ are gone from their old URLs', async ({ page }) => {
  await signIn(page, 'admin', '/sync-admin');
  const headers = await csrfHeaders(page);
  const task = '6f1c2b1e-0c9e-4a43-9a51-0a4f3f7f2b10';
  expect((await page.request.get('/api/v1/sync-admin/tasks?limit=1')).status()).toBe(200);
  for (const [method, path] of [
    ['GET', '/sync-admin/api/tasks'],
    ['GET', '/sync-admin/api/sync-stats/?window=24h'],
    ['POST', `/recruitment/sync/task/${task}/cancel/`],
    ['POST', `/recruitment/sync/task/${task}/retry-failed/`],
  ] as const) {
    const res = await page.request.fetch(path, { method, headers, maxRedirects: 0 });
    expect(res.headers()['content-type'] ?? '', `${method} ${path}`).not.toContain('application/json');
    expect(res.status(), `${method} ${path}`).toBeGreaterThanOrEqual(400);
  }
});
