import { type APIResponse, expect, type Page } from '@playwright/test';

export const USERS = {
  admin: {
    email: 'admin@example.com',
    password: process.env.E2E_ADMIN_PASSWORD ?? 'e2e-admin-password',
    name: 'Avery Admin',
  },
  recruiter: {
    email: 'recruiter@example.com',
    password: process.env.E2E_RECRUITER_PASSWORD ?? 'e2e-recruiter-password',
    name: 'Riley Recruiter',
  },
  viewer: {
    email: 'viewer@example.com',
    password: process.env.E2E_VIEWER_PASSWORD ?? 'e2e-viewer-password',
    name: 'Vesna Viewer',
  },
} as const;

export type Role = keyof typeof USERS;

/** Signs in through the real login form and waits for the app shell. */
export async function signIn(page: Page, role: Role, callbackPath?: string): Promise<void> {
  const user = USERS[role];
  await page.goto(callbackPath ? `/login?callbackUrl=${encodeURIComponent(callbackPath)}` : '/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toContainText(user.name);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
}

/** Headers for a same-origin API call with the session cookie, as our pages send them (CSRF double submit). */
export async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'ats_csrf')?.value;
  expect(csrf, 'the ats_csrf cookie is set by any page visit').toBeTruthy();
  return { 'x-csrf-token': csrf ?? '', origin: new URL(page.url()).origin };
}

/** The demo's mock receiver (started by `npm start` with demo data) on the e2e instance's port. */
export const MOCK_URL = `http://127.0.0.1:${process.env.E2E_MOCK_PORT ?? '4110'}`;

/**
 * The mock receiver's control API: `/_mock/reset` forgets everything (and lets held requests go),
 * `/_mock/config` sets how it answers (latency, failures, `hold`), `/_mock/release` lets requests
 * held by `hold` answer. It takes JSON bodies only.
 */
export async function mockControl(
  path: '/_mock/reset' | '/_mock/config' | '/_mock/release',
  body: Record<string, unknown> = {},
): Promise<void> {
  const res = await fetch(`${MOCK_URL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.ok, `mock ${path} answered ${res.status}`).toBe(true);
}

/** The JSON of an API answer that must have succeeded; the failure names the URL and the answer. */
export async function ok(res: APIResponse): Promise<any> {
  expect(res.ok(), `${res.url()} answered ${res.status()}: ${await res.text()}`).toBe(true);
  return res.json();
}

export type TestPosting = { slug: string; title: string; names: string[] };

/**
 * A posting of the test's own (title "<label> E2E <tag>"), with `hired` hired candidates, made
 * through the API as the signed-in user (session cookie plus the CSRF token): runs of different
 * tests never share candidates, so no other spec's runs touch its numbers.
 */
export async function createPostingWithHired(page: Page, hired: number, label: string): Promise<TestPosting> {
  await page.goto('/recruitment/jobs');
  const headers = await csrfHeaders(page);
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const title = `${label} E2E ${tag}`;
  const job = await ok(
    await page.request.post('/api/v1/jobs', { headers, data: { title, department: 'People', location: 'Remote' } }),
  );
  const candidates = Array.from({ length: hired }, (_, i) => ({
    first_name: ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara'][i % 5],
    last_name: `${label}${i + 1}`,
    email: `${label.toLowerCase()}${i + 1}-${tag}@example.com`,
    phone: '+1 555 0100',
    stage: 'hired',
  }));
  if (hired > 0) {
    await ok(await page.request.post(`/api/v1/jobs/${job.slug}/candidates`, { headers, data: { candidates } }));
  }
  return { slug: job.slug, title, names: candidates.map((c) => `${c.first_name} ${c.last_name}`) };
}
