import { expect, type Page, test } from '@playwright/test';
import { E2E_BASE_URL, E2E_OIDC_PORT } from '../playwright.config';
import { startOidcIssuer, type TestOidcIssuer } from '../test/oidc-issuer';
import { checkBothSchemes, SCREENSHOTS } from './axe';
import { USERS } from './fixtures';

// The app under test is configured for this issuer (playwright.config.ts); it runs in this worker,
// so a test can also take it down.
let idp: TestOidcIssuer;
const run = Date.now().toString(36);
const email = (name: string, domain = 'acme.test') => `${name}-${run}@${domain}`;

test.beforeAll(async () => {
  idp = await startOidcIssuer({
    port: E2E_OIDC_PORT,
    redirectUris: [`${E2E_BASE_URL}/api/auth/callback/oidc`],
    accounts: {
      ada: { email: email('ada'), email_verified: true, name: `Ada Admin ${run}`, groups: ['ats-admins'] },
      rob: { email: email('rob'), email_verified: true, name: `Rob Recruiter ${run}`, groups: ['ats-recruiters'] },
      vic: { email: email('vic'), email_verified: true, name: `Vic Viewer ${run}`, groups: ['auditors'] },
      eve: { email: email('eve', 'evil.test'), email_verified: true, name: 'Eve', groups: ['ats-admins'] },
      una: { email: email('una'), email_verified: false, name: 'Una', groups: ['ats-admins'] },
    },
  });
});

test.afterAll(async () => {
  await idp?.close();
});

/** Through the issuer's own login and consent pages, as a person does it. */
async function signInWithSso(page: Page, login: string): Promise<void> {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in with Acme ID' }).click();
  await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:${E2E_OIDC_PORT}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('the login page offers the SSO button beside the password form; axe clean, light and dark', async ({ page }) => {
  const res = await page.goto('/login');
  expect(res?.status()).toBe(200);
  await expect(page.getByLabel('Password')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in with Acme ID' })).toBeVisible();
  await checkBothSchemes(page, 'sso-login');
});

for (const [login, role, name] of [
  ['ada', 'admin', 'Ada Admin'],
  ['rob', 'recruiter', 'Rob Recruiter'],
  ['vic', 'viewer', 'Vic Viewer'],
] as const) {
  test(`the first SSO sign-in creates ${name} as ${role}, from the issuer's groups`, async ({ page }) => {
    await signInWithSso(page, login);
    await expect(page.getByTestId('current-user')).toContainText(`${name} ${run}`);
    const me = await (await page.request.get('/api/v1/me')).json();
    expect(me).toMatchObject({ email: email(login), role, via: 'session' });
  });
}

test('an email outside the allowed domains is refused with the sentence', async ({ page }) => {
  await signInWithSso(page, 'eve');
  await expect(page).toHaveURL(/\/login\?error=sso_domain_not_allowed$/);
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(
    'Your email domain is not allowed to sign in here. Use your work account, or ask an administrator.',
  );
  await page.screenshot({ path: `${SCREENSHOTS}/sso-domain-refused.png`, fullPage: true });
});

test('an email the issuer has not verified is refused with the sentence', async ({ page }) => {
  await signInWithSso(page, 'una');
  await expect(page).toHaveURL(/\/login\?error=sso_email_unverified$/);
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(
    'The identity provider has not verified your email address. Verify it there, then sign in again.',
  );
});

test('an admin sees the sign-in configuration on the users page', async ({ page }) => {
  await signInWithSso(page, 'ada');
  await page.goto('/admin/users');
  const section = page.getByRole('region', { name: 'Single sign-on' });
  await expect(section).toContainText(`http://127.0.0.1:${E2E_OIDC_PORT}`);
  await expect(section).toContainText('acme.test');
  await expect(section).toContainText('ats-admins');
  await expect(section).toContainText('Reachable');
  // The list says how each user signs in: the SSO admin by SSO only, the demo admin by password.
  const users = page.getByRole('table', { name: 'Users' });
  const rowOf = (address: string) =>
    users.getByRole('row').filter({ has: page.getByRole('cell', { name: address, exact: true }) });
  await expect(rowOf(email('ada'))).toContainText('SSO');
  await expect(rowOf('admin@example.com')).toContainText('Password');
  // Editing an SSO user's role says the identity provider sets it again at the next sign-in.
  await rowOf(email('ada'))
    .getByRole('button', { name: /^Edit / })
    .click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('which sets the role from the identity provider’s “groups” claim');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await checkBothSchemes(page, 'sso-admin-users');
});

test('a viewer reads the same section, with nothing to change', async ({ page }) => {
  await signInWithSso(page, 'vic');
  await page.goto('/admin/users');
  const section = page.getByRole('region', { name: 'Single sign-on' });
  await expect(section).toContainText('Reachable');
  await expect(section.getByRole('button')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add user' })).toHaveCount(0);
  await checkBothSchemes(page, 'sso-admin-users-viewer');
});

test('with the issuer down, /login still renders and the button explains it', async ({ page }) => {
  await idp.close();
  const res = await page.goto('/login');
  expect(res?.status()).toBe(200);
  await page.getByRole('button', { name: 'Sign in with Acme ID' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(
    'The identity provider could not be reached. Try again, or ask an administrator.',
  );
  await checkBothSchemes(page, 'sso-issuer-down');
  // The page next-auth sent back to still leads where the person was going.
  expect(new URL(page.url()).searchParams.get('callbackUrl')).toBe(`${E2E_BASE_URL}/recruitment/jobs`);
  await page.goto(`/login?callbackUrl=${encodeURIComponent(`${E2E_BASE_URL}/admin/users`)}&error=OAuthSignin`);
  await page.getByLabel('Email').fill(USERS.admin.email);
  await page.getByLabel('Password').fill(USERS.admin.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
});
