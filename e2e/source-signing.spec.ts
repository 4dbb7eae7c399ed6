import { expect, test } from '@playwright/test';
import { axeViolations, SCREENSHOTS, settleStyles } from './axe';
import { createPostingWithHired, csrfHeaders, MOCK_URL, signIn } from './fixtures';

// Issue 22 item 3: a source's signing mode on its form, a generated whsec_ secret, and the preview's signature headers.
test('an admin generates a Standard Webhooks secret, sees the signature in the preview, and moves the source to legacy', async ({
  page,
}) => {
  await signIn(page, 'admin', '/sync-admin/sources');
  const label = `Signing${Math.random()
    .toString(36)
    .replace(/[^a-z]/g, '')
    .slice(0, 5)}`;
  const posting = await createPostingWithHired(page, 1, label);
  const [name] = posting.names;

  await page.goto('/sync-admin/sources/new');
  await page.getByLabel('Name', { exact: true }).fill(`E2E signing ${label}`);
  await page.getByLabel('Base URL').fill(MOCK_URL);
  const scheme = page.getByRole('combobox', { name: 'Signature scheme' });
  await expect(scheme).toHaveValue('standard');

  // A secret of the old kind is refused for Standard Webhooks before anything is sent.
  await page.getByLabel('Signing secret').fill('a-plain-secret-of-the-old-kind');
  await page.getByRole('button', { name: 'Add source' }).click();
  await expect(page.getByLabel('Signing secret')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('must start with whsec_ for Standard Webhooks signing')).toBeVisible();

  await page.getByRole('button', { name: 'Generate a secret' }).click();
  const shown = page.getByRole('status').filter({ hasText: 'Copy it to your receiver now' });
  const secret = (await shown.locator('code').textContent()) ?? '';
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  await expect(page.getByLabel('Signing secret')).toHaveValue(secret);
  // The generated secret answers the error: it is not left beside it.
  await expect(page.getByText('must start with whsec_ for Standard Webhooks signing')).toHaveCount(0);
  await expect(page.getByLabel('Signing secret')).not.toHaveAttribute('aria-invalid', 'true');

  const preview = page.getByTestId('source-preview');
  await preview.getByLabel('Candidate').selectOption({ label: `${name} · ${posting.title}` });
  const headers = preview.getByRole('region', { name: 'Request line and headers' });
  await expect(headers).toContainText('webhook-signature: v1,••••••');
  await expect(headers).toContainText('webhook-id: <delivery-id>');
  await expect(headers).not.toContainText('x-ats-signature');
  expect(await preview.textContent()).not.toContain(secret);

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await scheme.scrollIntoViewIfNeeded();
    await settleStyles(page);
    await page.screenshot({ path: `${SCREENSHOTS}/source-signing-${colorScheme}.png`, fullPage: true });
    expect(await axeViolations(page), `axe, signing, ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  await page.getByRole('button', { name: 'Add source' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `E2E signing ${label}` })).toBeVisible();
  const savedId = new URL(page.url()).pathname.split('/').pop()!;
  try {
    await expect(scheme).toHaveValue('standard');
    await expect(page.getByText(secret)).toHaveCount(0);
    await scheme.selectOption('legacy');
    const stored = page.getByTestId('source-preview');
    await stored.getByLabel('Candidate').selectOption({ label: `${name} · ${posting.title}` });
    await expect(stored.getByRole('region', { name: 'Request line and headers' })).toContainText(
      'x-ats-signature: v1=••••••',
    );
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(async () => (await (await page.request.get(`/api/v1/sources/${savedId}`)).json()).signing_mode)
      .toBe('legacy');
  } finally {
    const removed = await page.request.delete(`/api/v1/sources/${savedId}`, { headers: await csrfHeaders(page) });
    expect(removed.status()).toBe(200);
  }
});
