import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const SCREENSHOTS = 'test-results/screenshots';

/**
 * Waits until no CSS transition or animation runs. Buttons fade their colours (transition-colors):
 * axe run right after a switch of colour scheme measures the contrast of a colour half-way there.
 */
export async function settleStyles(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Number.POSITIVE_INFINITY)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}

/** Every axe violation on the page (or inside `include`), once styles settled: "rule (impact): targets". */
export async function axeViolations(page: Page, include?: string): Promise<string[]> {
  await settleStyles(page);
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The serious and critical violations only (pages that carry known minor findings). */
export async function seriousViolations(page: Page, include?: string): Promise<string[]> {
  await settleStyles(page);
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(' | ')}`,
    );
}

/**
 * axe in the light and the dark scheme (serious and critical findings, or every finding with
 * `axeViolations`), with a full-page screenshot of each.
 */
export async function checkBothSchemes(
  page: Page,
  name: string,
  violations: (page: Page) => Promise<string[]> = seriousViolations,
): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await violations(page), `axe, ${name}, ${colorScheme}`).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${colorScheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
