import { expect, type Page, test } from '@playwright/test';
import { USERS } from './fixtures';

/** Every URL the page requests or navigates to, to prove no credential ever travels in one. */
function recordUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  page.on('framenavigated', (frame) => urls.push(frame.url()));
  return urls;
}

function expectNoSecretIn(urls: string[], ...secrets: string[]): void {
  expect(urls.length).toBeGreaterThan(0);
  for (const url of urls) {
    const decoded = decodeURIComponent(url);
    for (const secret of secrets) expect(decoded, url).not.toContain(secret);
  }
}

test.describe('sign-in without JavaScript (issue 17)', () => {
  test.use({ javaScriptEnabled: false });

  test('the form posts, signs in and lands on the callback page; no URL ever holds the password', async ({ page }) => {
    const urls = recordUrls(page);
    await page.goto('/login?callbackUrl=%2Fsettings%2Ftokens');
    await page.screenshot({ path: 'test-results/e2e/login-no-js.png' });
    await page.getByLabel('Email').fill(USERS.recruiter.email);
    await page.getByLabel('Password').fill(USERS.recruiter.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/settings\/tokens$/);
    await expect(page.getByTestId('current-user')).toContainText(USERS.recruiter.name);
    expectNoSecretIn(urls, USERS.recruiter.password);
  });

  test('a wrong password comes back to /login with the message, the URL holds only an error code', async ({ page }) => {
    const urls = recordUrls(page);
    await page.goto('/login');
    await page.getByLabel('Email').fill(USERS.admin.email);
    await page.getByLabel('Password').fill('definitely-wrong-e2e');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: /wrong email or password/i })).toBeVisible();
    expect(new URL(page.url()).search).toBe('?error=credentials');
    // The email is filled in again (from a cookie on /login, not from the URL); the password is not.
    await expect(page.getByLabel('Email')).toHaveValue(USERS.admin.email);
    await expect(page.getByLabel('Password')).toHaveValue('');
    await page.screenshot({ path: 'test-results/e2e/login-error.png' });
    expectNoSecretIn(urls, 'definitely-wrong-e2e', USERS.admin.email);
  });

  test('/login with an email and a password in its query redirects to /login without them', async ({ page }) => {
    const res = await page.goto(
      '/login?email=someone%40example.com&password=typed-secret&callbackUrl=%2Fadmin%2Fusers',
    );
    expect(res?.ok()).toBe(true);
    expect(page.url()).toMatch(/\/login\?callbackUrl=%2Fadmin%2Fusers$/);
    await expect(page.getByLabel('Password')).toBeVisible();
  });

  test('a form carrying a secret (source signing secret) never submits it in a URL', async ({ page }) => {
    const urls = recordUrls(page);
    await page.goto('/login?callbackUrl=%2Fsync-admin%2Fsources%2Fnew');
    await page.getByLabel('Email').fill(USERS.admin.email);
    await page.getByLabel('Password').fill(USERS.admin.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/sync-admin\/sources\/new$/);
    await page.getByLabel('Name', { exact: true }).fill('No-JS source');
    await page.getByLabel('Signing secret').fill('no-js-signing-secret-7d1e');
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.waitForLoadState('load');
    expectNoSecretIn(urls, 'no-js-signing-secret-7d1e', USERS.admin.password);
  });
});

test('a click on Sign in before the scripts arrive signs in, with no credentials in any URL', async ({ page }) => {
  const urls = recordUrls(page);
  // Hold every script chunk until the click has happened: the page is as it is before hydration.
  let release!: () => void;
  const clicked = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = 0;
  await page.route('**/_next/static/chunks/**', async (route) => {
    // Stylesheets live under chunks/ too; holding them would block rendering, not hydration.
    if (route.request().resourceType() !== 'script') return route.continue();
    held += 1;
    await clicked;
    await route.continue();
  });
  await page.goto('/login', { waitUntil: 'commit' });
  await page.getByLabel('Email').fill(USERS.admin.email);
  await page.getByLabel('Password').fill(USERS.admin.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click({ noWaitAfter: true });
  expect(held, 'the login page loads script chunks, and none had arrived at the click').toBeGreaterThan(0);
  release();
  await expect(page).toHaveURL(/\/recruitment\/jobs$/);
  await expect(page.getByTestId('current-user')).toContainText(USERS.admin.name);
  expectNoSecretIn(urls, USERS.admin.password);
});

test('under next start: a spoofed X-Forwarded-For is not the audited address; a 2 MB auth body gets 413 (issue 12)', async ({
  page,
  baseURL,
}) => {
  const email = `spoof-${Date.now()}@example.com`;
  const res = await page.request.post('/login/submit', {
    form: { email, password: 'not-the-password' },
    headers: { origin: baseURL ?? '', 'x-forwarded-for': '203.0.113.77', 'x-real-ip': '203.0.113.78' },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
  expect(res.headers().location).toBe('/login?error=credentials');

  const big = await page.request.post('/api/auth/callback/credentials', {
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseURL ?? '' },
    data: `email=a%40b.test&password=${'x'.repeat(2 * 1024 * 1024)}`,
  });
  expect(big.status()).toBe(413);
  expect((await big.json()).error.code).toBe('payload_too_large');

  await page.goto('/login');
  await page.getByLabel('Email').fill(USERS.admin.email);
  await page.getByLabel('Password').fill(USERS.admin.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toContainText(USERS.admin.name);
  const audit = await (await page.request.get('/api/v1/audit?action=auth.sign_in_failed&limit=200')).json();
  const event = audit.data.find((e: { details: { email?: string } }) => e.details.email === email);
  expect(event?.details.ip).toMatch(/^(127\.0\.0\.1|::1)$/);
});
