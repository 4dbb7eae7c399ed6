import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { USERS, csrfHeaders, signIn } from './fixtures';

async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`);
}

test.describe('API tokens under admin control', () => {
  test('an admin revokes another user’s token on /admin/users and the token then gets 401', async ({
    browser,
    request,
  }) => {
    const name = `e2e leaked ${Date.now().toString(36)}`;

    const recruiterContext = await browser.newContext();
    const recruiter = await recruiterContext.newPage();
    await signIn(recruiter, 'recruiter', '/settings/tokens');
    const created = await recruiter.request.post('/api/v1/tokens', {
      data: { name, scopes: ['jobs:read'] },
      headers: await csrfHeaders(recruiter),
    });
    expect(created.status()).toBe(201);
    const { token } = await created.json();
    await recruiterContext.close();

    const bearer = { authorization: `Bearer ${token}` };
    expect((await request.get('/api/v1/me', { headers: bearer })).status()).toBe(200);
    const minted = await request.post('/api/v1/tokens', {
      headers: bearer,
      data: { name: 'minted by a token', scopes: ['jobs:read'] },
    });
    expect(minted.status()).toBe(403);
    expect((await minted.json()).error.code).toBe('forbidden');

    const adminContext = await browser.newContext();
    const page = await adminContext.newPage();
    await signIn(page, 'admin', '/admin/users');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: `Tokens ${USERS.recruiter.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `API tokens of ${USERS.recruiter.name}` });
    await expect(dialog).toBeVisible();
    const row = dialog.getByRole('listitem').filter({ hasText: name });
    await expect(row).toContainText('Active');

    expect(await axeViolations(page)).toEqual([]);

    await row.getByRole('button', { name: `Revoke token ${name}` }).click();
    const confirm = dialog.getByRole('form', { name: `Revoke token ${name}` });
    await expect(confirm).toContainText(USERS.recruiter.name);
    await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    expect(await axeViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await expect(dialog.getByText('Close', { exact: true })).toBeFocused();

    await expect(dialog.getByRole('status')).toHaveText(`Token “${name}” was revoked.`);
    await expect(dialog.getByRole('listitem').filter({ hasText: name })).toContainText('Revoked');

    const refused = await request.get('/api/v1/me', { headers: bearer });
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.code).toBe('invalid_token');
    await adminContext.close();
  });
});
