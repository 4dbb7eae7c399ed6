import { expect, test } from '@playwright/test';
import { USERS, signIn, signOut } from './fixtures';

test.describe('sign-in and roles', () => {
  test('a signed-out visitor is sent to the login page and back after signing in', async ({ page }) => {
    await page.goto('/settings/tokens');
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fsettings%2Ftokens/);
    await page.getByLabel('Email').fill(USERS.recruiter.email);
    await page.getByLabel('Password').fill(USERS.recruiter.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/settings\/tokens$/);
  });

  test('a wrong password shows a clear message and does not sign in', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(USERS.admin.email);
    await page.getByLabel('Password').fill('definitely-wrong');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // Next renders its own (empty) route announcer with role=alert too.
    await expect(page.getByRole('alert').filter({ hasText: /wrong email or password/i })).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
    const session = await page.request.get('/api/auth/session');
    expect(await session.json()).toEqual({});
  });

  test('the admin signs in, sees the admin navigation and the session, and signs out', async ({ page }) => {
    await signIn(page, 'admin');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toBeVisible();
    const session = await (await page.request.get('/api/auth/session')).json();
    expect(session.user).toMatchObject({ email: USERS.admin.email, role: 'admin', name: USERS.admin.name });
    expect(session.user.id).toMatch(/^[0-9a-f-]{36}$/);
    await page.goto('/admin/users');
    await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
    await signOut(page);
    await page.goto('/recruitment/jobs');
    await expect(page).toHaveURL(/\/login/);
  });

  test('a recruiter signs in, has no admin navigation, and is refused the admin area', async ({ page }) => {
    await signIn(page, 'recruiter');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toHaveCount(0);
    const res = await page.goto('/admin/users');
    expect(res?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: /don’t have access/i })).toBeVisible();
    const api = await page.request.get('/api/v1/users');
    expect(api.status()).toBe(403);
    expect((await api.json()).error.code).toBe('forbidden');
    await signOut(page);
  });

  test('a cross-site POST with the session cookie is refused and changes nothing', async ({ page }) => {
    await signIn(page, 'admin');
    const res = await page.request.post('/api/v1/users', {
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      data: { email: 'evil@example.com', name: 'Evil', role: 'admin', password: 'evil-password' },
    });
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe('csrf_failed');
    const users = await (await page.request.get('/api/v1/users')).json();
    expect(users.data.map((u: { email: string }) => u.email)).not.toContain('evil@example.com');
  });
});
