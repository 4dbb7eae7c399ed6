import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { type Role, USERS, csrfHeaders, signIn, mockControl, ok } from './fixtures';

/**
 * Every page and dialog of the app, signed in as each role that may see it, checked by axe-core
 * (no serious or critical violation) and for console errors, uncaught errors and Content Security
 * Policy violations. One table: a new page or dialog is one more row.
 */

const DEMO_SOURCES = ['HR system (demo)', 'Payroll (demo)'];
const DEMO_POSTING = 'senior-backend-engineer';

// The same table runs once per colour scheme: E2E_COLOR_SCHEMES=light,dark runs it in both; the
// default becomes both once the dark theme exists.
const COLOR_SCHEMES = (process.env.E2E_COLOR_SCHEMES ?? 'light').split(',').map((scheme) => {
  if (scheme !== 'light' && scheme !== 'dark') throw new Error(`E2E_COLOR_SCHEMES: unknown scheme "${scheme}"`);
  return scheme;
});

/** What the table's rows point at: made by this spec through the API, removed again where it can be. */
type Data = {
  slug: string;
  candidate: string;
  sourceId: string;
  scheduleId: string;
  taskId: string;
};

type Check = {
  name: string;
  roles: readonly Role[];
  path: (d: Data) => string;
  /** The HTTP status the page answers with; 200 unless said. */
  status?: number;
  /** Waits for the content that proves the page (or dialog) is drawn. */
  ready: (page: Page, d: Data) => Promise<void>;
  /** Opens a dialog or expands something after the page is ready; axe then checks that state. */
  open?: (page: Page, d: Data) => Promise<void>;
};

const BOTH = ['admin', 'recruiter'] as const;
const ADMIN = ['admin'] as const;

const h1 = (name: string | RegExp) => async (page: Page) => {
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
};

const dialog = (name: string | RegExp) => async (page: Page) => {
  await expect(page.getByRole('dialog', { name })).toBeVisible();
};

function click(button: string | RegExp, name: string | RegExp): (page: Page) => Promise<void> {
  return async (page) => {
    await page.getByRole('button', { name: button }).first().click();
    await dialog(name)(page);
  };
}

const CHECKS: Check[] = [
  { name: 'job postings', roles: BOTH, path: () => '/recruitment/jobs', ready: h1('Job postings') },
  {
    name: 'new posting dialog',
    roles: BOTH,
    path: () => '/recruitment/jobs',
    ready: h1('Job postings'),
    open: click('New posting', 'New job posting'),
  },
  { name: 'a posting', roles: BOTH, path: (d) => `/recruitment/jobs/${d.slug}`, ready: h1(/^A11y/) },
  {
    name: 'add candidate dialog',
    roles: BOTH,
    path: (d) => `/recruitment/jobs/${d.slug}`,
    ready: h1(/^A11y/),
    open: click('Add candidate', 'Add candidate'),
  },
  {
    name: 'edit candidate dialog',
    roles: BOTH,
    path: (d) => `/recruitment/jobs/${d.slug}`,
    ready: h1(/^A11y/),
    open: async (page, d) => click(`Edit ${d.candidate}`, `Edit ${d.candidate}`)(page),
  },
  {
    name: 'delete candidate dialog',
    roles: BOTH,
    path: (d) => `/recruitment/jobs/${d.slug}`,
    ready: h1(/^A11y/),
    open: async (page, d) => click(`Delete ${d.candidate}`, `Delete ${d.candidate}?`)(page),
  },
  {
    name: 'import dialog',
    roles: BOTH,
    path: (d) => `/recruitment/jobs/${d.slug}`,
    ready: h1(/^A11y/),
    open: click('Import CSV', 'Import candidates from CSV'),
  },
  { name: 'hired page', roles: BOTH, path: (d) => `/recruitment/jobs/${d.slug}/hired`, ready: hiredReady },
  {
    name: 'sync options dialog',
    roles: BOTH,
    path: (d) => `/recruitment/jobs/${d.slug}/hired`,
    ready: hiredReady,
    open: click(/^Options/, 'Sync options'),
  },
  {
    name: 'sync progress modal',
    roles: BOTH,
    path: (d) => `/recruitment/jobs/${d.slug}/hired`,
    ready: hiredReady,
    open: async (page) => {
      await page.getByRole('button', { name: /^Sync to Sources/ }).click();
      const modal = page.getByRole('dialog', { name: 'Sync to Sources' });
      await expect(modal.getByTestId('sync-status')).toHaveText('Sync completed', { timeout: 30_000 });
    },
  },
  { name: 'demo posting', roles: BOTH, path: () => `/recruitment/jobs/${DEMO_POSTING}`, ready: h1(/Backend/) },
  { name: 'demo hired page', roles: BOTH, path: () => `/recruitment/jobs/${DEMO_POSTING}/hired`, ready: hiredReady },
  { name: 'API tokens', roles: BOTH, path: () => '/settings/tokens', ready: h1('API tokens') },
  {
    name: 'create token dialog',
    roles: BOTH,
    path: () => '/settings/tokens',
    ready: h1('API tokens'),
    open: click(/^Create token|^New token|^Create API token/, 'Create API token'),
  },
  { name: 'users', roles: ADMIN, path: () => '/admin/users', ready: h1('Users') },
  {
    name: 'add user dialog',
    roles: ADMIN,
    path: () => '/admin/users',
    ready: h1('Users'),
    open: click('Add user', 'Add user'),
  },
  {
    name: 'edit user dialog',
    roles: ADMIN,
    path: () => '/admin/users',
    ready: h1('Users'),
    open: click(`Edit ${USERS.recruiter.name}`, `Edit ${USERS.recruiter.name}`),
  },
  {
    name: 'user tokens dialog',
    roles: ADMIN,
    path: () => '/admin/users',
    ready: h1('Users'),
    open: click(`Tokens ${USERS.recruiter.name}`, `API tokens of ${USERS.recruiter.name}`),
  },
  {
    name: 'reset password dialog',
    roles: ADMIN,
    path: () => '/admin/users',
    ready: h1('Users'),
    open: click(`Reset password ${USERS.recruiter.name}`, `Reset password for ${USERS.recruiter.name}`),
  },
  {
    name: 'deactivate user dialog',
    roles: ADMIN,
    path: () => '/admin/users',
    ready: h1('Users'),
    open: async (page) => {
      await page.getByRole('button', { name: `Deactivate ${USERS.recruiter.name}` }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
    },
  },
  { name: 'sync dashboard', roles: ADMIN, path: () => '/sync-admin', ready: h1('Sync dashboard') },
  {
    name: 'sync statistics',
    roles: ADMIN,
    path: () => '/sync-admin/sync-dashboard',
    ready: h1('Sync statistics'),
  },
  { name: 'tasks', roles: ADMIN, path: () => '/sync-admin/tasks', ready: h1('Sync tasks') },
  {
    name: 'a task with a delivery expanded',
    roles: ADMIN,
    path: (d) => `/sync-admin/tasks/${d.taskId}`,
    ready: async (page, d) => h1(`Run ${d.taskId.slice(0, 8)}`)(page),
    open: async (page, d) => {
      await page
        .getByRole('button', { name: new RegExp(`^Details of the delivery of ${d.candidate}`) })
        .first()
        .click();
      await expect(
        page.getByRole('button', { name: new RegExp(`^Hide of the delivery of ${d.candidate}`) }),
      ).toBeVisible();
      await expect(page.locator('pre').first()).toBeVisible();
    },
  },
  { name: 'schedules', roles: ADMIN, path: () => '/sync-admin/schedules', ready: h1('Schedules') },
  { name: 'new schedule', roles: ADMIN, path: () => '/sync-admin/schedules/new', ready: h1('New schedule') },
  {
    name: 'edit schedule',
    roles: ADMIN,
    path: (d) => `/sync-admin/schedules/${d.scheduleId}`,
    ready: h1(/A11y schedule/),
  },
  { name: 'sources', roles: ADMIN, path: () => '/sync-admin/sources', ready: h1('Sources') },
  { name: 'new source', roles: ADMIN, path: () => '/sync-admin/sources/new', ready: h1(/source/i) },
  {
    name: 'edit source',
    roles: ADMIN,
    path: (d) => `/sync-admin/sources/${d.sourceId}`,
    ready: h1(/HR system \(demo\)/),
  },
  { name: 'audit trail', roles: ADMIN, path: () => '/sync-admin/audit', ready: h1('Audit trail') },
  { name: 'webhooks', roles: ADMIN, path: () => '/sync-admin/webhooks', ready: h1('Webhooks') },
  {
    name: 'add webhook dialog',
    roles: ADMIN,
    path: () => '/sync-admin/webhooks',
    ready: h1('Webhooks'),
    open: click('Add endpoint', 'Add webhook endpoint'),
  },
  {
    name: '403 on the sync admin',
    roles: ['recruiter'],
    path: () => '/sync-admin',
    status: 403,
    ready: h1('You don’t have access to this page'),
  },
  {
    name: '403 on users',
    roles: ['recruiter'],
    path: () => '/admin/users',
    status: 403,
    ready: h1('You don’t have access to this page'),
  },
  { name: 'catch-all 404', roles: BOTH, path: () => '/no-such-page', status: 404, ready: h1('Page not found') },
  {
    name: 'unknown posting 404',
    roles: BOTH,
    path: () => '/recruitment/jobs/no-such-posting',
    status: 404,
    ready: h1('Page not found'),
  },
  {
    name: 'unknown task 404',
    roles: ADMIN,
    path: () => '/sync-admin/tasks/00000000-0000-4000-8000-000000000000',
    status: 404,
    ready: h1('Page not found'),
  },
];

async function hiredReady(page: Page): Promise<void> {
  await expect(page.getByRole('table', { name: /^Hired candidates for/ })).toBeVisible();
}

/** A posting of this spec's own with hired candidates, a sync of it, and a disabled schedule. */
async function createData(page: Page): Promise<Data> {
  await page.goto('/recruitment/jobs');
  const headers = await csrfHeaders(page);
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const job = await ok(await page.request.post('/api/v1/jobs', { headers, data: { title: `A11y ${tag}` } }));
  const candidates = [1, 2].map((i) => ({
    first_name: 'Alex',
    last_name: `Access${i}`,
    email: `a11y${i}-${tag}@example.com`,
    stage: 'hired',
  }));
  await ok(await page.request.post(`/api/v1/jobs/${job.slug}/candidates`, { headers, data: { candidates } }));
  const sources: { id: string; name: string }[] = (await ok(await page.request.get('/api/v1/sources'))).data;
  const source_ids = sources.filter((s) => DEMO_SOURCES.includes(s.name)).map((s) => s.id);
  expect(source_ids).toHaveLength(2);
  // Payroll refuses the first batch for good (422 is not retried): the run ends partially failed, so
  // the dashboards show failures and their links.
  await mockControl('/_mock/config', { path: '/payroll', fail_next: 1, fail_status: 422 });
  const started = await ok(
    await page.request.post(`/recruitment/jobs/${job.slug}/sync-hired-candidates/`, { headers, data: { source_ids } }),
  );
  await expect
    .poll(async () => (await ok(await page.request.get(`/api/v1/sync-admin/tasks/${started.task_id}`))).status, {
      timeout: 30_000,
    })
    .toBe('partially_failed');
  const schedule = await ok(
    await page.request.post('/api/v1/schedules', {
      headers,
      data: {
        name: `A11y schedule ${tag}`,
        cron: '0 2 * * *',
        scope: 'posting',
        job_slug: job.slug,
        is_enabled: false,
      },
    }),
  );
  return {
    slug: job.slug,
    candidate: `${candidates[0].first_name} ${candidates[0].last_name}`,
    sourceId: source_ids[0],
    scheduleId: schedule.id,
    taskId: started.task_id,
  };
}

/** Console errors, uncaught errors and CSP violations of one page, collected while it is checked. */
function watchProblems(page: Page, allowedStatus: () => number | undefined): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // The browser reports the document's own 403/404 as a failed load; that status is the point.
    const status = allowedStatus();
    if (status && text.startsWith(`Failed to load resource: the server responded with a status of ${status} `)) return;
    // axe-core tries `new Function` and falls back when the policy refuses it; the scripts a test
    // injects have no source file, the app's own always do.
    if (text.endsWith('blocked eval from an injected script')) return;
    problems.push(`console: ${text}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return problems;
}

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

let data: Data;

// One admin makes the data both roles look at; recruiters may not list sources or make schedules.
test.beforeAll(async ({ browser }) => {
  await mockControl('/_mock/reset');
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'admin');
  data = await createData(page);
  await context.close();
});

// The schedule is this spec's own; the posting and its runs stay, as every spec's do.
test.afterAll(async ({ browser }) => {
  await mockControl('/_mock/reset');
  if (!data) return;
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'admin');
  await ok(await page.request.delete(`/api/v1/schedules/${data.scheduleId}`, { headers: await csrfHeaders(page) }));
  await context.close();
});

for (const colorScheme of COLOR_SCHEMES) {
  for (const role of ['admin', 'recruiter'] as const) {
    test.describe(`${role}, ${colorScheme}`, () => {
      let context: BrowserContext;
      let page: Page;
      let expectedStatus: number | undefined;
      let problems: string[];

      test.beforeAll(async ({ browser }) => {
        context = await browser.newContext({ colorScheme });
        // The browser reports CSP violations to the console too, but not always with the directive.
        await context.addInitScript(() => {
          document.addEventListener('securitypolicyviolation', (e) => {
            const from = e.sourceFile || 'an injected script';
            console.error(
              `securitypolicyviolation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} from ${from}`,
            );
          });
        });
        page = await context.newPage();
        problems = watchProblems(page, () => expectedStatus);
        await signIn(page, role);
      });

      test.afterAll(async () => {
        await context?.close();
      });

      for (const check of CHECKS.filter((c) => c.roles.includes(role))) {
        test(`${check.name}: no serious axe violation, console error or CSP violation`, async () => {
          problems.length = 0;
          expectedStatus = check.status;
          const response = await page.goto(check.path(data));
          expect(response?.status(), `${check.path(data)} answers`).toBe(check.status ?? 200);
          await check.ready(page, data);
          if (check.open) await check.open(page, data);
          // Nested main landmarks are only a moderate finding for axe, but one main per page is the rule.
          await expect(page.getByRole('main')).toHaveCount(1);
          expect(await seriousViolations(page)).toEqual([]);
          expect(problems).toEqual([]);
        });
      }
    });
  }
}

test('the favicon is served on every first load', async ({ request }) => {
  const res = await request.get('/favicon.ico');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^image\//);
});
