import { expect, test } from '@playwright/test';
import { E2E_BASE_URL, E2E_OIDC_PORT } from '../playwright.config';
import { startOidcIssuer, type TestOidcIssuer } from '../test/oidc-issuer';
import { checkBothSchemes } from './axe';

// The other specs sign in with passwords, so this one needs a server of its own configuration:
// `npm run test:e2e:passwords-off` (E2E_PASSWORD_SIGN_IN=disabled). playwright.config.ts runs it only
// then and leaves it out of the ordinary run; e2e/sso.spec.ts covers SSO beside passwords.

let idp: TestOidcIssuer;
const run = Date.now().toString(36);

test.beforeAll(async () => {
  idp = await startOidcIssuer({
    port: E2E_OIDC_PORT,
    redirectUris: [`${E2E_BASE_URL}/api/auth/callback/oidc`],
    accounts: {
      ada: { email: `ada-${run}@acme.test`, email_verified: true, name: `Ada ${run}`, groups: ['ats-admins'] },
    },
  });
});

test.afterAll(async () => {
  await idp?.close();
});

test('PASSWORD_SIGN_IN=disabled: /login shows only the SSO button, the form route refuses, SSO signs in', async ({
  page,
  baseURL,
}) => {
  expect((await page.goto('/login'))?.status()).toBe(200);
  await expect(page.getByRole('button', { name: 'Sign in with Acme ID' })).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toHaveCount(0);
  await checkBothSchemes(page, 'sso-passwords-off-login');

  const refused = await page.request.post('/login/submit', {
    form: { email: 'admin@example.com', password: process.env.E2E_ADMIN_PASSWORD ?? '' },
    headers: { origin: baseURL ?? '' },
    maxRedirects: 0,
  });
  expect(refused.status()).toBe(303);
  expect(refused.headers().location).toBe('/login?error=password_disabled');

  await page.getByRole('button', { name: 'Sign in with Acme ID' }).click();
  await page.locator('input[name="login"]').fill('ada');
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('current-user')).toContainText(`Ada ${run}`);
  await page.goto('/admin/users');
  await expect(page.getByRole('region', { name: 'Single sign-on' })).toContainText('Password sign-in is off');
});
