import { type Browser, expect, type Page, test } from '@playwright/test';
import { csrfHeaders, signIn, MOCK_URL, mockControl, ok, createPostingWithHired } from './fixtures';
import { seriousViolations } from './axe';

// Issue 24, deliverables 6 and 7 (dark theme): layout at 1280 and 390 px, and the dark theme.

const SCREENSHOTS = 'test-results/screenshots';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function resetMock() {
  await mockControl('/_mock/reset');
}

/** The page itself never scrolls sideways: only boxes inside it may. */
async function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

const syncButton = (page: Page) => page.getByRole('button', { name: /^Sync to Sources/ });
const syncModal = (page: Page) => page.getByRole('dialog', { name: 'Sync to Sources' });

/** Runs a sync of the posting from its hired page and waits in the modal for the end. */
async function syncAndWait(page: Page) {
  await syncButton(page).click();
  await expect(syncModal(page)).toBeVisible();
  await expect(syncModal(page).getByTestId('sync-status')).toHaveText('Sync completed', { timeout: 30_000 });
}

async function closeModal(page: Page) {
  await syncModal(page).getByRole('button', { name: 'Close' }).first().click();
  await expect(syncModal(page)).toBeHidden();
}

async function newSignedInPage(browser: Browser, options: Parameters<Browser['newContext']>[0]) {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, ...options });
  const page = await context.newPage();
  await signIn(page, 'admin');
  return page;
}

test('hired page at 1280 px with five sources: the table scrolls in its card, the name stays, a cue says more follow', async ({
  page,
}) => {
  await resetMock();
  await page.setViewportSize(DESKTOP);
  await signIn(page, 'admin');
  const posting = await createPostingWithHired(page, 3, 'Layout');
  const headers = await csrfHeaders(page);
  const before = (await ok(await page.request.get('/api/v1/sources'))) as { data: { is_active: boolean }[] };
  const created: string[] = [];
  try {
    // Three more active sources beside the two demo ones, delivering to the demo mock receiver.
    for (const n of [1, 2, 3]) {
      const source = await ok(
        await page.request.post('/api/v1/sources', {
          headers,
          data: {
            name: `Layout onboarding system ${n}`,
            connector: 'generic_webhook',
            base_url: MOCK_URL,
            sync_endpoint: '/hris',
          },
        }),
      );
      created.push(source.id);
    }
    const active = before.data.filter((s) => s.is_active).length + created.length;
    expect(active).toBeGreaterThanOrEqual(5);

    await page.goto(`/recruitment/jobs/${posting.slug}/hired`);
    const table = page.getByRole('table', { name: /^Hired candidates for/ });
    await expect(table.getByRole('columnheader', { name: 'Layout onboarding system 3' })).toBeAttached();
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);

    // The table scrolls inside its own box, which says so.
    const box = page.getByRole('region', { name: /^Hired candidates for/ });
    const cue = page.getByRole('button', { name: 'More columns' });
    await expect(cue).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/hired-1280-light.png`, fullPage: true });

    await box.evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    await expect(table.getByRole('columnheader', { name: 'Layout onboarding system 3' })).toBeInViewport();
    await expect(cue).toBeHidden();
    // The name is still where it was, on top: nothing scrolled over it.
    const name = table.getByRole('cell', { name: posting.names[0], exact: true });
    const nameBox = await name.boundingBox();
    const scrollBox = await box.boundingBox();
    expect(nameBox && scrollBox && nameBox.x >= scrollBox.x && nameBox.x < scrollBox.x + 100).toBe(true);
    const onTop = await name.evaluate((cell) => {
      const r = cell.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + 8, r.top + r.height / 2);
      return !!hit && cell.contains(hit);
    });
    expect(onTop).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/hired-1280-scrolled.png` });
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);

    // Once a sync has run, the "Last sync" pill joins the actions, and they all stay beside the title.
    await syncAndWait(page);
    await closeModal(page);
    await expect(page.getByRole('button', { name: /^Last sync:/ })).toBeVisible();
    const title = await page.getByRole('heading', { level: 1 }).boundingBox();
    for (const button of [page.getByRole('button', { name: 'Options' }), syncButton(page)]) {
      const b = await button.boundingBox();
      expect(title && b && b.y < title.y + title.height && b.y + b.height > title.y, 'in the title row').toBe(true);
    }
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
  } finally {
    // The specs share one database, and others count the active sources.
    for (const id of created) {
      const res = await page.request.delete(`/api/v1/sources/${id}`, { headers });
      expect(res.status()).toBe(200);
    }
  }
});

test('at 390 px no page scrolls sideways, and the sync-admin tabs show that more follow', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize(PHONE);
  await resetMock();
  await page.goto('/login');
  expect(await pageOverflow(page), '/login').toBeLessThanOrEqual(0);
  await signIn(page, 'admin');
  const posting = await createPostingWithHired(page, 2, 'Layout');
  await page.goto(`/recruitment/jobs/${posting.slug}/hired`);
  await syncAndWait(page);
  const taskHref = await syncModal(page).getByRole('link', { name: 'View details' }).getAttribute('href');
  expect(taskHref).toMatch(/^\/sync-admin\/tasks\//);
  await closeModal(page);
  const sources = (await ok(await page.request.get('/api/v1/sources'))) as { data: { id: string }[] };
  const schedules = (await ok(await page.request.get('/api/v1/schedules'))) as { data: { id: string }[] };

  const routes = [
    '/recruitment/jobs',
    `/recruitment/jobs/${posting.slug}`,
    `/recruitment/jobs/${posting.slug}/hired`,
    '/sync-admin',
    '/sync-admin/sync-dashboard',
    '/sync-admin/tasks',
    taskHref as string,
    '/sync-admin/schedules',
    '/sync-admin/schedules/new',
    ...schedules.data.slice(0, 1).map((s) => `/sync-admin/schedules/${s.id}`),
    '/sync-admin/sources',
    '/sync-admin/sources/new',
    `/sync-admin/sources/${sources.data[0].id}`,
    '/sync-admin/audit',
    '/sync-admin/webhooks',
    '/sync-admin/alerts',
    '/admin/users',
    '/settings/tokens',
    '/no-such-page',
  ];
  const overflowing: string[] = [];
  for (const route of routes) {
    await page.goto(route, { waitUntil: 'networkidle' });
    const over = await pageOverflow(page);
    if (over > 0) overflowing.push(`${route} (${over}px)`);
  }
  expect(overflowing).toEqual([]);

  // The tab strip is wider than the phone: a fade and a "More" button say so, and it starts at the current tab.
  await page.goto('/sync-admin');
  const nav = page.getByRole('navigation', { name: 'Sync admin' });
  const more = nav.getByRole('button', { name: 'More' });
  await expect(more).toBeVisible({ timeout: 30_000 });
  await expect(nav.getByRole('link', { name: 'Webhooks' })).not.toBeInViewport();
  await page.screenshot({ path: `${SCREENSHOTS}/sync-admin-nav-390.png` });
  // Each press scrolls most of the strip's width: as many presses as it takes to reach the last tab.
  await expect(async () => {
    if (await more.isVisible()) await more.click();
    await expect(nav.getByRole('link', { name: 'Alerts' })).toBeInViewport({ timeout: 2_000 });
    await expect(more).toBeHidden({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await page.goto('/sync-admin/webhooks');
  await expect(nav.getByRole('link', { name: 'Webhooks' })).toBeInViewport();
});

test('the dark theme follows the system setting and keeps every page readable (axe)', async ({ browser }) => {
  test.setTimeout(180_000);
  await resetMock();
  const signedOut = await (
    await browser.newContext({ baseURL: test.info().project.use.baseURL, colorScheme: 'dark', viewport: DESKTOP })
  ).newPage();
  await signedOut.goto('/login');
  await expect(signedOut.getByRole('heading', { name: 'Sign in to ATS Sync' })).toBeVisible();
  const background = await signedOut.evaluate(() => {
    // Whatever notation the browser reports the colour in, a canvas turns it into RGB.
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const g = canvas.getContext('2d') as CanvasRenderingContext2D;
    g.fillStyle = getComputedStyle(document.documentElement).backgroundColor;
    g.fillRect(0, 0, 1, 1);
    const [r, gr, b] = g.getImageData(0, 0, 1, 1).data;
    return (0.2126 * r + 0.7152 * gr + 0.0722 * b) / 255;
  });
  expect(background, 'the page background is dark').toBeLessThan(0.2);
  expect(await seriousViolations(signedOut), '/login').toEqual([]);
  await signedOut.screenshot({ path: `${SCREENSHOTS}/login-dark.png` });
  await signedOut.context().close();

  const page = await newSignedInPage(browser, { colorScheme: 'dark', viewport: DESKTOP });
  const posting = await createPostingWithHired(page, 3, 'Layout');
  await page.goto(`/recruitment/jobs/${posting.slug}/hired`);
  await expect(page.getByRole('cell', { name: posting.names[0], exact: true })).toBeVisible();
  expect(await seriousViolations(page), 'hired page').toEqual([]);
  await syncAndWait(page);
  expect(await seriousViolations(page), 'sync modal').toEqual([]);
  await closeModal(page);
  await page.getByRole('checkbox', { name: `Select ${posting.names[0]}` }).check();
  await expect(page.getByRole('button', { name: /Last sync:/ })).toBeVisible();
  expect(await seriousViolations(page), 'hired page after a sync, one row selected').toEqual([]);
  for (const route of ['/sync-admin', '/sync-admin/tasks', '/sync-admin/sources', '/admin/users']) {
    await page.goto(route, { waitUntil: 'networkidle' });
    expect(await seriousViolations(page), route).toEqual([]);
  }
  await page.context().close();
});

test('screenshots of the hired page, the sync modal and the dashboard: light, dark and phone', async ({ browser }) => {
  test.setTimeout(240_000);
  await resetMock();
  for (const [label, options] of [
    ['light', { colorScheme: 'light', viewport: DESKTOP }],
    ['dark', { colorScheme: 'dark', viewport: DESKTOP }],
    ['phone', { colorScheme: 'light', viewport: PHONE }],
    ['phone-dark', { colorScheme: 'dark', viewport: PHONE }],
  ] as const) {
    const page = await newSignedInPage(browser, options);
    const posting = await createPostingWithHired(page, 3, 'Layout');
    await page.goto(`/recruitment/jobs/${posting.slug}/hired`);
    await expect(page.getByRole('cell', { name: posting.names[0], exact: true })).toBeVisible();
    await syncAndWait(page);
    await page.screenshot({ path: `${SCREENSHOTS}/modal-${label}.png` });
    await closeModal(page);
    await expect(page.getByRole('button', { name: /^Last sync:/ })).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/hired-${label}.png`, fullPage: true });
    await page.goto('/sync-admin', { waitUntil: 'networkidle' });
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-${label}.png`, fullPage: true });
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    await page.context().close();
  }
});
