import { describe, expect, it } from 'vitest';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import { api, auditEvents, createJobVia, expectError, person, recruiterToken } from '@/test/recruiting-fixtures';

const { jobs, jobBySlug, jobCandidates } = api;

describe('jobs API: access', () => {
  it('answers 401 without credentials on every jobs endpoint', async () => {
    const calls = [
      callRoute(jobs.GET, { path: '/api/v1/jobs' }),
      callRoute(jobs.POST, { method: 'POST', body: { title: 'X' } }),
      callRoute(jobBySlug.GET, { params: { slug: 'x' } }),
      callRoute(jobBySlug.PATCH, { method: 'PATCH', params: { slug: 'x' }, body: { title: 'Y' } }),
    ];
    for (const res of await Promise.all(calls)) {
      expectError(res, 401, 'unauthorized');
    }
  });

  it('lets recruiters (session) and admins (token) create and read postings', async () => {
    const recruiter = await createTestUser('recruiter');
    const admin = await createTestUser('admin');
    const byRecruiter = await createJobVia({ session: recruiter }, { title: 'Recruiter Posting' });
    const byAdmin = await createJobVia({ token: await createTestToken(admin) }, { title: 'Admin Posting' });
    const read = await callRoute(jobBySlug.GET, { auth: { session: admin }, params: { slug: byRecruiter.slug } });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(byRecruiter.id);
    expect(byAdmin.slug).toBe('admin-posting');
  });

  it('refuses a cookie POST without the CSRF token', async () => {
    const recruiter = await createTestUser('recruiter');
    const res = await callRoute(jobs.POST, {
      method: 'POST',
      auth: { session: recruiter, csrf: 'missing' },
      body: { title: 'CSRF' },
    });
    expect(res.status).toBe(403);
  });
});

describe('POST /api/v1/jobs', () => {
  it('creates a posting with the documented shape and records job.created', async () => {
    const auth = await recruiterToken();
    const res = await callRoute(jobs.POST, {
      method: 'POST',
      auth,
      body: { title: '  Data Analyst ', department: 'Finance', location: '' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      slug: 'data-analyst',
      title: 'Data Analyst',
      department: 'Finance',
      location: null,
      employment_type: null,
      status: 'open',
      created_at: expect.any(String),
      updated_at: expect.any(String),
      counts: { applied: 0, screening: 0, interview: 0, offer: 0, hired: 0, rejected: 0, total: 0 },
    });
    const [event] = await auditEvents('job.created', res.body.id);
    expect(event.target_type).toBe('job_posting');
    expect(event.details).toMatchObject({ slug: 'data-analyst', title: 'Data Analyst' });
    expect(event.actor_email).toMatch(/^recruiter-/);
  });

  it('generates unique slugs from the title: senior-engineer, senior-engineer-2, ...', async () => {
    const auth = await recruiterToken();
    const slugs = [];
    for (const title of ['Senior Engineer', 'Senior Engineer', 'senior   ENGINEER!', 'Señior Engineer']) {
      slugs.push((await createJobVia(auth, { title })).slug);
    }
    expect(slugs).toEqual(['senior-engineer', 'senior-engineer-2', 'senior-engineer-3', 'senior-engineer-4']);
    expect((await createJobVia(auth, { title: '!!!' })).slug).toBe('job');
    expect((await createJobVia(auth, { title: 'x'.repeat(200) })).slug).toBe('x'.repeat(90));
  });

  it('takes an explicit slug and answers 409 slug_taken when it exists', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth, { title: 'Anything', slug: 'custom-slug-1' });
    expect(job.slug).toBe('custom-slug-1');
    const again = await callRoute(jobs.POST, { method: 'POST', auth, body: { title: 'Other', slug: 'custom-slug-1' } });
    expectError(again, 409, 'slug_taken');
  });

  it('answers 422 validation_failed for bad input and unknown fields', async () => {
    const auth = await recruiterToken();
    const bad = [
      {},
      { title: '' },
      { title: '   ' },
      { title: 'x'.repeat(201) },
      { title: 'Ok', slug: 'Bad Slug' },
      { title: 'Ok', slug: '../etc' },
      { title: 'Ok', slug: '-leading' },
      { title: 'Ok', slug: 'a'.repeat(101) },
      { title: 'Ok', department: 'd'.repeat(201) },
      { title: 'Ok', status: 'closed' },
      { title: 'Ok', owner: 'me' },
      { title: 42 },
    ];
    for (const body of bad) {
      const res = await callRoute(jobs.POST, { method: 'POST', auth, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
  });
});

describe('GET /api/v1/jobs', () => {
  it('pages with a cursor, without gaps or repeats, newest first', async () => {
    const auth = await recruiterToken();
    const tag = `pager${Date.now()}`;
    const created = [];
    for (let i = 0; i < 7; i++) created.push(await createJobVia(auth, { title: `${tag} ${i}` }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const path: string = `/api/v1/jobs?q=${tag}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await callRoute(jobs.GET, { auth, path });
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((j: { id: string }) => j.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(created.map((j) => j.id).reverse());
  });

  it('defaults to 25 per page and reports counts per stage', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth, { title: 'Counted Posting' });
    await callRoute(jobCandidates.POST, {
      method: 'POST',
      auth,
      params: { slug: job.slug },
      body: { candidates: [person(1), person(2, { stage: 'hired' }), person(3, { stage: 'offer' })] },
    });
    const res = await callRoute(jobs.GET, { auth, path: '/api/v1/jobs?q=counted posting' });
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0].counts).toEqual({
      applied: 1,
      screening: 0,
      interview: 0,
      offer: 1,
      hired: 1,
      rejected: 0,
      total: 3,
    });
    for (let i = 0; i < 26; i++) await createJobVia(auth);
    const all = await callRoute(jobs.GET, { auth, path: '/api/v1/jobs' });
    expect(all.body.data).toHaveLength(25);
    expect(all.body.next_cursor).toEqual(expect.any(String));
  });

  it('filters by status and by title, case-insensitively and with literal wildcards', async () => {
    const auth = await recruiterToken();
    const open = await createJobVia(auth, { title: 'Filter 100% Remote' });
    const closed = await createJobVia(auth, { title: 'Filter Closed One' });
    await callRoute(jobBySlug.PATCH, {
      method: 'PATCH',
      auth,
      params: { slug: closed.slug },
      body: { status: 'closed' },
    });
    const ids = async (path: string) =>
      (await callRoute(jobs.GET, { auth, path })).body.data.map((j: { id: string }) => j.id);
    expect(await ids('/api/v1/jobs?q=FILTER&status=closed')).toEqual([closed.id]);
    expect(await ids('/api/v1/jobs?q=filter&status=open')).toEqual([open.id]);
    expect(await ids('/api/v1/jobs?q=100%25')).toEqual([open.id]);
    expect(await ids('/api/v1/jobs?q=filter%25one')).toEqual([]);
    expect(await ids('/api/v1/jobs?q=filter_closed')).toEqual([]);
  });

  it('answers 400 invalid_query for bad pagination, filters and unknown parameters', async () => {
    const auth = await recruiterToken();
    const bad = [
      'limit=0',
      'limit=-1',
      'limit=101',
      'limit=99999999999',
      'limit=abc',
      'limit=1.5',
      'limit=',
      'cursor=garbage',
      'cursor=',
      `cursor=${btoa('["2020-01-01","x"]')}`,
      `cursor=${'A'.repeat(500)}`,
      'status=archived',
      `q=${'x'.repeat(201)}`,
      'page=2',
    ];
    for (const qs of bad) {
      const res = await callRoute(jobs.GET, { auth, path: `/api/v1/jobs?${qs}` });
      expectError(res, 400, 'invalid_query', qs);
    }
  });
});

describe('GET and PATCH /api/v1/jobs/{slug}', () => {
  it('answers 404 job_not_found for unknown and malformed slugs', async () => {
    const auth = await recruiterToken();
    for (const slug of ['no-such-job', '..', '../../etc/passwd', 'UPPER', 'a'.repeat(101), '%2e%2e', 'a b', '']) {
      for (const res of [
        await callRoute(jobBySlug.GET, { auth, params: { slug } }),
        await callRoute(jobBySlug.PATCH, { method: 'PATCH', auth, params: { slug }, body: { title: 'T' } }),
        await callRoute(jobCandidates.GET, { auth, params: { slug }, path: '/x' }),
      ]) {
        expectError(res, 404, 'job_not_found', slug);
      }
    }
  });

  it('closes and reopens a posting, edits fields, and audits each change with before and after', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth, { title: 'Patch Me', department: 'Ops' });
    const close = await callRoute(jobBySlug.PATCH, {
      method: 'PATCH',
      auth,
      params: { slug: job.slug },
      body: { status: 'closed' },
    });
    expect(close.status).toBe(200);
    expect(close.body.status).toBe('closed');
    const edit = await callRoute(jobBySlug.PATCH, {
      method: 'PATCH',
      auth,
      params: { slug: job.slug },
      body: { status: 'open', title: 'Patched', department: null, location: 'Berlin' },
    });
    expect(edit.body).toMatchObject({ status: 'open', title: 'Patched', department: null, location: 'Berlin' });
    expect(edit.body.slug).toBe(job.slug);
    const events = await auditEvents('job.updated', job.id);
    expect(events.map((e) => e.details)).toEqual([
      { slug: job.slug, changes: { status: { from: 'open', to: 'closed' } } },
      {
        slug: job.slug,
        changes: {
          title: { from: 'Patch Me', to: 'Patched' },
          department: { from: 'Ops', to: null },
          location: { from: null, to: 'Berlin' },
          status: { from: 'closed', to: 'open' },
        },
      },
    ]);
  });

  it('answers 422 for empty, unknown or invalid changes', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    for (const body of [{}, { slug: 'new-slug' }, { status: 'archived' }, { title: '' }, { title: 'ok', x: 1 }]) {
      const res = await callRoute(jobBySlug.PATCH, { method: 'PATCH', auth, params: { slug: job.slug }, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });
});
