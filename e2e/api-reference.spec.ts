import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { type Role, signIn } from './fixtures';

// Issue 22, item 1: the API reference at /docs/api (Scalar, served from our origin under our CSP).

const SCREENSHOTS = 'test-results/screenshots';

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target} ${n.failureSummary ?? ''}`).join(' | ')}`);
}

for (const role of ['admin', 'recruiter'] as Role[]) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`the API reference renders the document for the ${role}, ${scheme} theme, with no policy relaxed and no axe violation`, async ({
      page,
    }) => {
      test.setTimeout(180_000);
      const refused: string[] = [];
      const external: string[] = [];
      page.on('console', (m) => {
        // Scalar's bundled zod probes `new Function` once and falls back when the policy refuses it.
        if (m.type() === 'error' && /Content Security Policy/.test(m.text()) && !/unsafe-eval/.test(m.text()))
          refused.push(m.text());
      });
      page.on('request', (r) => {
        if (!r.url().startsWith(test.info().project.use.baseURL ?? '')) external.push(r.url());
      });
      await page.emulateMedia({ colorScheme: scheme });
      await signIn(page, role, '/docs/api');
      await page.goto('/docs/api');
      const csp = (await page.request.get('/docs/api')).headers()['content-security-policy'];
      expect(csp).toContain("script-src 'self' 'nonce-");
      expect(csp).not.toContain('unsafe-eval');
      // The operations of the document, by their summaries.
      await expect(page.getByText("Sync a posting's hired candidates").first()).toBeVisible({ timeout: 30_000 });
      await expect(page.getByText('Follow a sync run').first()).toBeVisible();
      await expect(page.getByText('Sync admin', { exact: true }).first()).toBeVisible();
      await expect(page.getByText('Ask AI')).toHaveCount(0);
      await page.screenshot({ path: `${SCREENSHOTS}/api-reference-${role}-${scheme}.png`, fullPage: false });
      expect(refused).toEqual([]);
      expect(external).toEqual([]);
      // The whole page, Scalar's markup included, as it first renders (axe, serious and critical).
      expect(await seriousViolations(page)).toEqual([]);
      // Every tag section opened: the operations' parameters, answers and examples.
      const showMore = page.getByRole('button', { name: 'Show More' });
      while ((await showMore.count()) > 0) {
        const before = await showMore.count();
        await showMore.first().click();
        await expect(showMore).toHaveCount(before - 1);
      }
      expect(await seriousViolations(page)).toEqual([]);
      // The search dialog with results.
      await page.getByRole('button', { name: 'Open Search' }).click();
      await page.getByRole('combobox', { name: 'Enter search query' }).fill('run');
      await expect(page.getByRole('option').first()).toBeVisible();
      await page.screenshot({ path: `${SCREENSHOTS}/api-reference-${role}-${scheme}-search.png`, fullPage: false });
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
}

test('the OpenAPI document is public, JSON, and lists the sync routes', async ({ request }) => {
  const res = await request.get('/api/openapi.json');
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toContain('/api/v1/jobs/{slug}/sync-hired-candidates');
});
