import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { createPostingWithHired, signIn } from './fixtures';

const SCREENSHOTS = 'test-results/screenshots';
const API_KEY = 'e2e-preview-bamboo-key-4242';

async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// Issue 20 items 5 and 6: the mapping editor on the source form, and the live preview that follows it.
test('an admin previews the BambooHR request of a real hire while editing the mapping', async ({ page }) => {
  await signIn(page, 'admin', '/sync-admin/sources');
  // Letters only, so the last name reads back as it was typed (and upper-cased below).
  const label = `Preview${Math.random()
    .toString(36)
    .replace(/[^a-z]/g, '')
    .slice(0, 5)}`;
  const posting = await createPostingWithHired(page, 1, label);
  const [name] = posting.names;

  await page.goto('/sync-admin/sources/new');
  await page.getByRole('combobox', { name: 'Connector' }).selectOption('bamboohr');
  await page.getByLabel('Name', { exact: true }).fill(`E2E preview ${label}`);
  await page.getByLabel('Company domain').fill('acme');
  await page.getByLabel('API key').fill(API_KEY);

  const preview = page.getByTestId('source-preview');
  // Another spec's hire may be more recent: the picker chooses ours.
  await preview.getByLabel('Candidate').selectOption({ label: `${name} · ${posting.title}` });
  const headers = preview.getByRole('region', { name: 'Request line and headers' });
  const body = preview.getByRole('region', { name: 'Request body' });
  await expect(headers).toContainText('POST https://api.bamboohr.com/api/gateway.php/acme/v1/employees/');
  await expect(headers).toContainText('authorization: Basic ••••••');
  await expect(body).toContainText('"firstName": "Ada"');
  await expect(body).toContainText(`"lastName": "${label}1"`);
  await expect(preview.getByRole('status')).toContainText(`${name} (${posting.title})`);
  expect(await preview.textContent()).not.toContain(API_KEY);

  // A rule changed: the body follows.
  const lastName = page.locator('[data-target-field="lastName"]');
  await lastName.getByLabel('Case').selectOption('upper');
  await expect(body).toContainText(`"lastName": "${label.toUpperCase()}1"`);

  // A required field's rule removed: the preview names it as missing, and the body no longer has it.
  const firstName = page.locator('[data-target-field="firstName"]');
  await firstName.getByRole('combobox', { name: /First name/ }).selectOption('none');
  const missing = preview.getByRole('list', { name: 'Missing required fields' });
  await expect(missing).toContainText('First name (firstName)');
  await expect(body).not.toContainText('"firstName"');

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await preview.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/source-preview-${scheme}.png`, fullPage: true });
    expect(await axeViolations(page), `axe, preview open, ${scheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // Saved as it is, the server refuses the mapping and the form says so next to First name.
  await page.getByRole('button', { name: 'Add source' }).click();
  await expect(firstName.getByRole('alert')).toHaveText('required by BambooHR');
  await expect(firstName.getByRole('combobox', { name: /First name/ })).toHaveAttribute('aria-invalid', 'true');

  // Back to the default mapping: nothing missing, and the source saves.
  await page.getByRole('button', { name: 'Reset to default mapping' }).click();
  await expect(missing).toHaveCount(0);
  await expect(body).toContainText('"firstName": "Ada"');
  await page.getByRole('button', { name: 'Add source' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `E2E preview ${label}` })).toBeVisible();
});
