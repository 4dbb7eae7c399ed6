import { describe, expect, it } from 'vitest';
import * as candidateById from '@/app/api/v1/candidates/[id]/route';
import * as jobs from '@/app/api/v1/jobs/route';
import * as jobBySlug from '@/app/api/v1/jobs/[slug]/route';
import * as jobCandidates from '@/app/api/v1/jobs/[slug]/candidates/route';
import * as users from '@/app/api/v1/users/route';
import * as me from '@/app/api/v1/me/route';
import { getDb } from '@/lib/db';
import { callRoute, createTestToken, createTestUser, sessionCookie } from '@/test/fixtures';

async function recruiter() {
  return { token: await createTestToken(await createTestUser('recruiter')) };
}

async function countRows(table: 'job_postings' | 'candidates' | 'users') {
  const row = await getDb()
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

describe('bad input changes nothing and gets its documented answer', () => {
  it('names: too long is 422; unicode, emoji, SQL and HTML are stored exactly as text', async () => {
    const auth = await recruiter();
    const before = await countRows('job_postings');
    const long = await callRoute(jobs.POST, { method: 'POST', auth, body: { title: 'x'.repeat(201) } });
    expect(long.status).toBe(422);
    expect(long.body.error.details[0]).toMatchObject({ path: 'title' });
    expect(await countRows('job_postings')).toBe(before);

    const title = `Ingénieur·e 🚀 '); DROP TABLE candidates; -- <script>alert(1)</script>`;
    const created = await callRoute(jobs.POST, { method: 'POST', auth, body: { title } });
    expect(created.status).toBe(201);
    expect(created.body.title).toBe(title);
    expect(created.body.slug).toMatch(/^[a-z0-9-]+$/);
    const candidate = await callRoute(jobCandidates.POST, {
      method: 'POST',
      auth,
      params: { slug: created.body.slug },
      body: { first_name: '李', last_name: "O'Brien 😀", email: 'Zoe.O+test@Example.com', phone: null },
    });
    expect(candidate.status).toBe(201);
    expect(candidate.body).toMatchObject({
      first_name: '李',
      last_name: "O'Brien 😀",
      email: 'zoe.o+test@example.com',
    });
    expect(await countRows('candidates')).toBeGreaterThan(0);
  });

  // Issue 24 (u4): an empty email is reported as missing, once, wherever an email is asked for.
  it('an empty email is "is required" and nothing else; a malformed one is "must be a valid email address"', async () => {
    const admin = { session: await createTestUser('admin') };
    const before = await countRows('users');
    for (const email of ['', '   ']) {
      const res = await callRoute(users.POST, {
        method: 'POST',
        auth: admin,
        body: { email, name: 'No Email', role: 'recruiter', password: 'long-enough-password' },
      });
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([{ path: 'email', message: 'is required' }]);
    }
    const malformed = await callRoute(users.POST, {
      method: 'POST',
      auth: admin,
      body: { email: 'not-an-email', name: 'Bad Email', role: 'recruiter', password: 'long-enough-password' },
    });
    expect(malformed.body.error.details).toEqual([{ path: 'email', message: 'must be a valid email address' }]);
    expect(await countRows('users')).toBe(before);
    const job = await callRoute(jobs.POST, { method: 'POST', auth: await recruiter(), body: { title: 'Email rules' } });
    const candidate = await callRoute(jobCandidates.POST, {
      method: 'POST',
      auth: await recruiter(),
      params: { slug: job.body.slug },
      body: { first_name: 'No', last_name: 'Email', email: '' },
    });
    expect(candidate.body.error.details).toEqual([{ path: 'email', message: 'is required' }]);
  });

  it('path traversal and malformed slugs or ids are plain 404s', async () => {
    const auth = await recruiter();
    for (const slug of ['../../etc/passwd', '..%2F..%2Fetc', 'UPPER', 'a'.repeat(300), "x'; --"]) {
      const res = await callRoute(jobBySlug.GET, { auth, params: { slug } });
      expect(res.status, slug).toBe(404);
      expect(res.body.error.code).toBe('job_not_found');
    }
    for (const id of ['not-a-uuid', '1', "1' or '1'='1", '00000000-0000-0000-0000-00000000000g']) {
      const res = await callRoute(candidateById.GET, { auth, params: { id } });
      expect(res.status, id).toBe(404);
    }
  });

  it('negative, huge or malformed pagination values are 400 invalid_query', async () => {
    const auth = await recruiter();
    for (const query of [
      'limit=-1',
      'limit=100000',
      'limit=abc',
      'cursor=%%%',
      'cursor=bm90LWpzb24',
      'status=archived',
      'unknown=1',
    ]) {
      const res = await callRoute(jobs.GET, { auth, path: `/api/v1/jobs?${query}` });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('invalid_query');
    }
  });

  it('unknown enum values and wrong types are 422; duplicates are 409', async () => {
    const auth = await recruiter();
    const job = await callRoute(jobs.POST, { method: 'POST', auth, body: { title: 'Enum test' } });
    const slug = job.body.slug;
    const bad = [
      { first_name: 'A', last_name: 'B', email: 'a@example.test', stage: 'promoted' },
      { first_name: 'A', last_name: 'B', email: 'not-an-email' },
      { first_name: 42, last_name: 'B', email: 'a@example.test' },
      { first_name: 'A', last_name: 'B', email: 'a@example.test', salary: 1 },
    ];
    for (const body of bad) {
      const res = await callRoute(jobCandidates.POST, { method: 'POST', auth, params: { slug }, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    const ok = { first_name: 'A', last_name: 'B', email: 'dup@example.test' };
    expect((await callRoute(jobCandidates.POST, { method: 'POST', auth, params: { slug }, body: ok })).status).toBe(
      201,
    );
    const dup = await callRoute(jobCandidates.POST, {
      method: 'POST',
      auth,
      params: { slug },
      body: { ...ok, email: 'DUP@example.test' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('duplicate_candidate');
    const status = await callRoute(jobBySlug.PATCH, {
      method: 'PATCH',
      auth,
      params: { slug },
      body: { status: 'archived' },
    });
    expect(status.status).toBe(422);
  });

  it('a tampered or foreign session cookie is no session at all', async () => {
    const user = await createTestUser('admin');
    const cookie = await sessionCookie(user);
    const tampered = `${cookie.slice(0, -4)}AAAA`;
    const res = await callRoute(me.GET, { headers: { cookie: tampered } });
    expect(res.status).toBe(401);
    const forged = await callRoute(users.GET, {
      headers: { cookie: 'next-auth.session-token=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
    });
    expect(forged.status).toBe(401);
    expect((await callRoute(me.GET, { headers: { cookie } })).status).toBe(200);
  });
});
