import { afterAll, describe, expect, it } from 'vitest';
import * as candidateById from '@/app/api/v1/candidates/[id]/route';
import * as jobs from '@/app/api/v1/jobs/route';
import * as jobBySlug from '@/app/api/v1/jobs/[slug]/route';
import * as jobCandidates from '@/app/api/v1/jobs/[slug]/candidates/route';
import * as candidateImport from '@/app/api/v1/jobs/[slug]/candidates/import/route';
import * as schedules from '@/app/api/v1/schedules/route';
import * as sources from '@/app/api/v1/sources/route';
import * as users from '@/app/api/v1/users/route';
import * as userById from '@/app/api/v1/users/[id]/route';
import * as webhooks from '@/app/api/v1/webhooks/route';
import * as tasks from '@/app/api/v1/sync-admin/tasks/route';
import type { DB } from '@/db/types';
import { getAuthOptions } from '@/lib/auth/options';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';

const NUL = '\u0000';
const ESC = '\u001b';
const TABLES = [
  'job_postings',
  'candidates',
  'users',
  'sources',
  'sync_schedules',
  'webhook_endpoints',
  'rate_limits',
] as const satisfies readonly (keyof DB)[];

afterAll(async () => {
  await stopSender();
});

/** Row counts and the newest update of every table a refused request could have touched. */
async function snapshot() {
  const db = getDb();
  const out: Record<string, unknown> = {};
  for (const table of TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  const touched = await db
    .selectFrom('candidates')
    .select((eb) => eb.fn.max('updated_at').as('at'))
    .executeTakeFirstOrThrow();
  const users = await db.selectFrom('users').select(['id', 'name']).orderBy('id').execute();
  return { ...out, candidates_updated: String(touched.at), users };
}

function expectRefused(res: { status: number; body: any }, path: string, status = 422) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(status === 400 ? 'invalid_query' : 'validation_failed');
  expect(res.body.error.details).toContainEqual({ path, message: expect.stringMatching(/control characters/) });
}

describe('NUL and other control characters are refused with 422 and change nothing (issue 12, item 8)', () => {
  it('JSON bodies of every kind of route: values, nested values and keys', async () => {
    const recruiter = { token: await createTestToken(await createTestUser('recruiter')) };
    const adminUser = await createTestUser('admin');
    const admin = { session: adminUser };
    const job = await callRoute(jobs.POST, { method: 'POST', auth: recruiter, body: { title: 'Control chars' } });
    const slug = job.body.slug;
    const candidate = await callRoute(jobCandidates.POST, {
      method: 'POST',
      auth: recruiter,
      params: { slug },
      body: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.test' },
    });
    expect(candidate.status).toBe(201);
    const before = await snapshot();

    const post = (handler: typeof jobs.POST, body: unknown, auth: object = recruiter, params = {}) =>
      callRoute(handler, { method: 'POST', auth: auth as never, params, body });

    expectRefused(await post(jobs.POST, { title: `Engineer${NUL}` }), 'title');
    expectRefused(await post(jobs.POST, { title: 'Engineer', [`depart${NUL}ment`]: 'x' }), '"depart\\u0000ment"');
    expectRefused(
      await post(jobCandidates.POST, { first_name: `A${NUL}`, last_name: 'B', email: 'b@example.test' }, recruiter, {
        slug,
      }),
      'first_name',
    );
    expectRefused(
      await post(
        jobCandidates.POST,
        { candidates: [{ first_name: 'A', last_name: `B${ESC}[31m`, email: 'c@example.test' }] },
        recruiter,
        { slug },
      ),
      'candidates.0.last_name',
    );
    expectRefused(
      await post(
        candidateImport.POST,
        { csv: `first_name,last_name,email\r\nGrace,Hop${NUL}per,g@example.test\r\n` },
        recruiter,
        {
          slug,
        },
      ),
      'csv',
    );
    expectRefused(
      await callRoute(candidateById.PATCH, {
        method: 'PATCH',
        auth: recruiter,
        params: { id: candidate.body.id },
        body: { phone: `+44${NUL}` },
      }),
      'phone',
    );
    expectRefused(
      await post(
        sources.POST,
        {
          name: 'HRIS',
          connector: 'generic_webhook',
          base_url: 'http://127.0.0.1:9/',
          headers: { 'X-Tenant': `acme${NUL}` },
        },
        admin,
      ),
      'headers.X-Tenant',
    );
    expectRefused(
      await post(
        sources.POST,
        { name: `HR${NUL}IS`, connector: 'generic_webhook', base_url: 'http://127.0.0.1:9/' },
        admin,
      ),
      'name',
    );
    expectRefused(
      await post(
        users.POST,
        { email: 'new@example.test', name: `New${NUL}`, role: 'recruiter', password: 'long-enough-1' },
        admin,
      ),
      'name',
    );
    expectRefused(
      await callRoute(userById.PATCH, {
        method: 'PATCH',
        auth: admin,
        params: { id: adminUser.id },
        body: { name: `Bell\u0007` },
      }),
      'name',
    );
    expectRefused(
      await post(schedules.POST, { name: `Nightly${NUL}`, cron: '0 2 * * *', scope: 'all_open' }, admin),
      'name',
    );
    expectRefused(
      await post(webhooks.POST, { name: 'Ops', url: `http://127.0.0.1:9/hook${NUL}`, events: ['sync.failed'] }, admin),
      'url',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('query strings (the search q) answer 400 invalid_query, path values 404, never 500', async () => {
    const recruiter = { token: await createTestToken(await createTestUser('recruiter')) };
    const admin = { token: await createTestToken(await createTestUser('admin')) };
    const job = await callRoute(jobs.POST, { method: 'POST', auth: recruiter, body: { title: 'Search me' } });
    const slug = job.body.slug;

    expectRefused(await callRoute(jobs.GET, { auth: recruiter, path: '/api/v1/jobs?q=Search%00' }), 'q', 400);
    expectRefused(
      await callRoute(jobCandidates.GET, {
        auth: recruiter,
        params: { slug },
        path: `/api/v1/jobs/${slug}/candidates?q=%1B`,
      }),
      'q',
      400,
    );
    expectRefused(await callRoute(tasks.GET, { auth: admin, path: '/api/v1/sync-admin/tasks?q=x%00' }), 'q', 400);

    const slugWithNul = await callRoute(jobBySlug.GET, { auth: recruiter, params: { slug: `${slug}${NUL}` } });
    expect(slugWithNul.status).toBe(404);
    // Tab, line feed and carriage return are ordinary text, in a search as anywhere else.
    expect((await callRoute(jobs.GET, { auth: recruiter, path: '/api/v1/jobs?q=Search%09' })).status).toBe(200);
  });

  it('sign-in with a NUL in the email or password is a failed sign-in, not a 500', async () => {
    const user = await createTestUser('recruiter');
    const provider = getAuthOptions().providers[0] as unknown as {
      options: { authorize: (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown> };
    };
    const req = { headers: { 'x-forwarded-for': '127.0.0.1' } };
    const before = await snapshot();
    await expect(
      provider.options.authorize({ email: `${user.email}${NUL}`, password: user.password }, req),
    ).resolves.toBeNull();
    await expect(
      provider.options.authorize({ email: user.email, password: `${user.password}${NUL}` }, req),
    ).resolves.toBeNull();
    expect(await snapshot()).toEqual(before);
    await expect(
      provider.options.authorize({ email: user.email, password: user.password }, req),
    ).resolves.toMatchObject({
      id: user.id,
    });
  });
});
