import { expect, type Page, test } from '@playwright/test';
import { MOCK_URL, csrfHeaders, ok, signIn } from './fixtures';
import { axeViolations } from './axe';

const SCREENSHOTS = 'test-results/screenshots';

async function storedLimit(page: Page, id: string): Promise<number | null> {
  const source = (await ok(await page.request.get(`/api/v1/sources/${id}`))) as {
    max_requests_per_minute: number | null;
  };
  return source.max_requests_per_minute;
}

test('an admin sets, changes and clears a source’s requests-per-minute limit, and the form is axe clean', async ({
  page,
}) => {
  const name = `E2E limited ${Date.now().toString(36)}`;
  await signIn(page, 'admin', '/sync-admin/sources/new');
  await expect(page.getByRole('heading', { level: 1, name: /source/i })).toBeVisible();
  const limit = page.getByLabel('Max requests per minute');
  await expect(limit).toHaveValue('');
  await expect(page.getByText('Across all workers, 1 to 100,000; empty: no limit')).toBeVisible();

  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Base URL').fill(MOCK_URL);
  await page.getByLabel('Endpoint path').fill('/limited/hired');
  await limit.fill('0');
  await page.getByRole('button', { name: 'Add source' }).click();
  await expect(limit).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter a whole number from 1 to 100,000')).toBeVisible();
  await limit.fill('600');
  await page.getByRole('button', { name: 'Add source' }).click();

  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const id = new URL(page.url()).pathname.split('/').at(-1)!;
  try {
    expect(await storedLimit(page, id)).toBe(600);
    await expect(page.getByLabel('Max requests per minute')).toHaveValue('600');

    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByLabel('Max requests per minute').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOTS}/source-limit-${scheme}.png` });
      expect(await axeViolations(page), `axe, ${scheme}`).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByLabel('Max requests per minute').fill('1200');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Saved changes to ${name}.` })).toBeVisible();
    expect(await storedLimit(page, id)).toBe(1200);

    await page.getByLabel('Max requests per minute').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => storedLimit(page, id)).toBeNull();

    // What is stored is what the form shows after a reload.
    await page.reload();
    await expect(page.getByLabel('Max requests per minute')).toHaveValue('');
  } finally {
    // The specs share one database: later syncs must see only the demo sources.
    const removed = await page.request.delete(`/api/v1/sources/${id}`, { headers: await csrfHeaders(page) });
    expect(removed.status()).toBe(200);
  }
});
