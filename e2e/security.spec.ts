import { expect, type Page, test } from '@playwright/test';
import { csrfHeaders, signIn } from './fixtures';

/** A same-origin API call with the session cookie, as our own pages make it (CSRF header included). */
async function api(page: Page, method: string, path: string, data?: unknown) {
  return page.request.fetch(path, { method, data, headers: await csrfHeaders(page) });
}

test.describe('security', () => {
  test('every page carries the security headers and a nonce-based CSP without inline scripts', async ({ page }) => {
    for (const path of ['/login', '/recruitment/jobs']) {
      if (path !== '/login') await signIn(page, 'recruiter');
      const res = await page.goto(path);
      const headers = res!.headers();
      const csp = headers['content-security-policy'];
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(csp.split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(headers['x-frame-options']).toBe('DENY');
    }
    const session = (await page.context().cookies()).find((c) => c.name === 'next-auth.session-token');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // Served over plain http here; behind https the cookie is Secure (__Secure- prefix).
    expect(session?.secure).toBe(false);
  });

  test('HTML and script in names are shown as text and never run', async ({ page }) => {
    let dialogs = 0;
    page.on('dialog', async (d) => {
      dialogs += 1;
      await d.dismiss();
    });
    await signIn(page, 'recruiter', '/recruitment/jobs');
    const evil = `<img src=x onerror=alert(1)><script>alert(2)</script> ${Date.now().toString(36)}`;
    const job = await api(page, 'POST', '/api/v1/jobs', { title: evil });
    expect(job.status()).toBe(201);
    const { slug } = await job.json();
    const candidate = await api(page, 'POST', `/api/v1/jobs/${slug}/candidates`, {
      first_name: '<b>Bold</b>',
      last_name: '<script>alert(3)</script>',
      email: `xss-${Date.now()}@example.com`,
      stage: 'hired',
    });
    expect(candidate.status()).toBe(201);
    for (const path of [`/recruitment/jobs/${slug}`, `/recruitment/jobs/${slug}/hired`, '/recruitment/jobs']) {
      await page.goto(path);
      await expect(page.getByText(evil).first()).toBeVisible();
    }
    await page.goto(`/recruitment/jobs/${slug}`);
    await expect(page.getByText('<b>Bold</b>').first()).toBeVisible();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  test('a tampered session cookie is signed out; brute force on one account is stopped with a clear message', async ({
    page,
    browser,
  }) => {
    await signIn(page, 'admin');
    const email = `brute-${Date.now()}@example.com`;
    const created = await api(page, 'POST', '/api/v1/users', {
      email,
      name: 'Brute Target',
      role: 'recruiter',
      password: 'correct-horse-battery',
    });
    expect(created.status()).toBe(201);

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'next-auth.session-token')!;
    const context = await browser.newContext();
    await context.addCookies([{ ...session, value: `${session.value.slice(0, -6)}AAAAAA` }]);
    const tampered = await context.newPage();
    await tampered.goto('/recruitment/jobs');
    await expect(tampered).toHaveURL(/\/login/);
    expect((await tampered.request.get('/api/v1/me')).status()).toBe(401);

    await tampered.goto('/login');
    for (let i = 0; i < 5; i++) {
      await tampered.getByLabel('Email').fill(email);
      await tampered.getByLabel('Password').fill(`wrong-${i}`);
      // Each attempt is a form POST and a new page: wait for it, the previous page shows the same alert.
      await Promise.all([
        tampered.waitForEvent('load'),
        tampered.getByRole('button', { name: 'Sign in', exact: true }).click(),
      ]);
      await expect(tampered.getByRole('alert').filter({ hasText: /wrong email or password/i })).toBeVisible();
    }
    await tampered.getByLabel('Password').fill('correct-horse-battery');
    await Promise.all([
      tampered.waitForEvent('load'),
      tampered.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ]);
    await expect(tampered.getByRole('alert').filter({ hasText: /too many sign-in attempts/i })).toBeVisible();
    await expect(tampered).toHaveURL(/\/login/);
    await context.close();
  });
});
