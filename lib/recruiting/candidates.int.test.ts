import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { type Auth, callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import {
  api,
  auditEvents,
  countCandidates,
  createJobVia,
  expectError,
  person,
  recruiterToken,
} from '@/test/recruiting-fixtures';

const { jobBySlug, jobCandidates, candidateById } = api;

async function addCandidate(auth: Auth, slug: string, body: Record<string, unknown>) {
  return callRoute(jobCandidates.POST, { method: 'POST', auth, params: { slug }, body });
}

function listPath(query: string) {
  return `/api/v1/jobs/x/candidates?${query}`;
}

describe('candidates API: access', () => {
  it('answers 401 without credentials on every candidates endpoint', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const calls = [
      callRoute(jobCandidates.GET, { params: { slug: 'x' } }),
      callRoute(jobCandidates.POST, { method: 'POST', params: { slug: 'x' }, body: person(1) }),
      callRoute(api.jobImport.POST, { method: 'POST', params: { slug: 'x' }, body: { csv: 'a' } }),
      callRoute(candidateById.GET, { params: { id } }),
      callRoute(candidateById.PATCH, { method: 'PATCH', params: { id }, body: { stage: 'hired' } }),
      callRoute(candidateById.DELETE, { method: 'DELETE', params: { id } }),
    ];
    for (const res of await Promise.all(calls)) {
      expectError(res, 401, 'unauthorized');
    }
  });

  it('lets recruiters and admins, by session or token, manage candidates', async () => {
    const recruiter = await createTestUser('recruiter');
    const admin = await createTestUser('admin');
    const job = await createJobVia({ session: recruiter });
    const auths: Auth[] = [
      { session: recruiter },
      { token: await createTestToken(recruiter) },
      { session: admin },
      { token: await createTestToken(admin) },
    ];
    for (const [i, auth] of auths.entries()) {
      const created = await addCandidate(auth, job.slug, person(i));
      expect(created.status).toBe(201);
      const patched = await callRoute(candidateById.PATCH, {
        method: 'PATCH',
        auth,
        params: { id: created.body.id },
        body: { stage: 'screening' },
      });
      expect(patched.status).toBe(200);
    }
    const list = await callRoute(jobCandidates.GET, { auth: auths[3], params: { slug: job.slug } });
    expect(list.body.data).toHaveLength(4);
  });
});

describe('POST /api/v1/jobs/{slug}/candidates: one candidate', () => {
  it('creates a candidate with the documented shape, trimmed names and a lower-case email', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const res = await addCandidate(auth, job.slug, {
      first_name: '  Ada ',
      last_name: 'Lovelace',
      email: ' Ada.Lovelace@Example.COM ',
      phone: '+44 20 7946 0000',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      job_posting_id: job.id,
      job_slug: job.slug,
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada.lovelace@example.com',
      phone: '+44 20 7946 0000',
      stage: 'applied',
      hired_at: null,
      start_date: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const [event] = await auditEvents('candidate.created', res.body.id);
    expect(event.details).toMatchObject({ job_slug: job.slug, email: 'ada.lovelace@example.com', stage: 'applied' });
  });

  it('sets hired_at when created straight into hired', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const res = await addCandidate(auth, job.slug, person(1, { stage: 'hired' }));
    expect(res.body.stage).toBe('hired');
    expect(Date.now() - Date.parse(res.body.hired_at)).toBeLessThan(60_000);
  });

  it('answers 409 duplicate_candidate for an email already on the posting, in any case', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const other = await createJobVia(auth);
    expect((await addCandidate(auth, job.slug, person(1))).status).toBe(201);
    const dup = await addCandidate(auth, job.slug, person(2, { email: 'PERSON1@example.test' }));
    expectError(dup, 409, 'duplicate_candidate');
    expect((await addCandidate(auth, other.slug, person(1))).status).toBe(201);
  });

  it('answers 422 validation_failed for bad fields and unknown fields', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const bad: [Record<string, unknown>, string][] = [
      [{ last_name: 'L', email: 'a@example.test' }, 'first_name'],
      [person(1, { first_name: '   ' }), 'first_name'],
      [person(1, { last_name: 'x'.repeat(201) }), 'last_name'],
      [person(1, { email: 'not-an-email' }), 'email'],
      [person(1, { phone: '1'.repeat(51) }), 'phone'],
      [person(1, { stage: 'promoted' }), 'stage'],
      [person(1, { hired_at: '2026-01-01T00:00:00Z' }), ''],
      [person(1, { id: '00000000-0000-4000-8000-000000000000' }), ''],
    ];
    for (const [body, path] of bad) {
      const res = await addCandidate(auth, job.slug, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details[0].path).toBe(path);
    }
    expect((await addCandidate(auth, job.slug, person(1, { first_name: 'x'.repeat(200), phone: '' }))).status).toBe(
      201,
    );
    expect(await countCandidates(job.id)).toBe(1);
  });

  it('answers 404 job_not_found for an unknown posting', async () => {
    const auth = await recruiterToken();
    const res = await addCandidate(auth, 'no-such-posting', person(1));
    expectError(res, 404, 'job_not_found');
  });

  it('refuses new candidates on a closed posting but still allows stage changes there', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const candidate = (await addCandidate(auth, job.slug, person(1))).body;
    await callRoute(jobBySlug.PATCH, { method: 'PATCH', auth, params: { slug: job.slug }, body: { status: 'closed' } });
    for (const body of [person(2), { candidates: [person(3)] }]) {
      const res = await addCandidate(auth, job.slug, body);
      expectError(res, 422, 'invalid_state');
    }
    const hire = await callRoute(candidateById.PATCH, {
      method: 'PATCH',
      auth,
      params: { id: candidate.id },
      body: { stage: 'hired' },
    });
    expect(hire.status).toBe(200);
    expect(hire.body.stage).toBe('hired');
  });
});

describe('POST /api/v1/jobs/{slug}/candidates: batches', () => {
  const many = (n: number, from = 0) => Array.from({ length: n }, (_, i) => person(from + i));

  it('creates 1,000 at once and refuses 1,001', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const ok = await addCandidate(auth, job.slug, { candidates: many(1000) });
    expect(ok.status).toBe(201);
    expect(ok.body.created).toBe(1000);
    expect(ok.body.ids).toHaveLength(1000);
    expect(new Set(ok.body.ids).size).toBe(1000);
    expect(await countCandidates(job.id)).toBe(1000);
    const [event] = await auditEvents('candidate.created', job.id);
    expect(event.details).toMatchObject({ job_slug: job.slug, count: 1000 });

    const other = await createJobVia(auth);
    const tooMany = await addCandidate(auth, other.slug, { candidates: many(1001) });
    expectError(tooMany, 422, 'validation_failed');
    expect(tooMany.body.error.details).toEqual([{ path: 'candidates', message: expect.stringMatching(/1001/) }]);
    expect(await countCandidates(other.id)).toBe(0);
  });

  it('reports each bad item by index and creates nothing', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const res = await addCandidate(auth, job.slug, {
      candidates: [person(0), person(1, { email: 'bad' }), person(2), { ...person(3), extra: true }, 'nope'],
    });
    expectError(res, 422, 'validation_failed');
    expect(res.body.error.details).toEqual([
      { index: 1, path: 'email', message: expect.any(String) },
      { index: 3, path: '', message: expect.stringMatching(/extra/) },
      { index: 4, path: '', message: expect.any(String) },
    ]);
    expect(await countCandidates(job.id)).toBe(0);
  });

  it('reports duplicates inside the batch and against existing candidates by index', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    await addCandidate(auth, job.slug, person(5));
    const inBatch = await addCandidate(auth, job.slug, {
      candidates: [person(1), person(2), person(9, { email: 'Person1@example.test' })],
    });
    expect(inBatch.status).toBe(422);
    expect(inBatch.body.error.details).toEqual([{ index: 2, path: 'email', message: expect.stringMatching(/item 0/) }]);
    const existing = await addCandidate(auth, job.slug, { candidates: [person(1), person(5)] });
    expect(existing.status).toBe(422);
    expect(existing.body.error.details).toEqual([
      { index: 1, path: 'email', message: expect.stringMatching(/already a candidate/) },
    ]);
    expect(await countCandidates(job.id)).toBe(1);
  });

  it('answers 422 for an empty or non-array batch and for fields beside candidates', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    for (const body of [{ candidates: [] }, { candidates: person(1) }, { candidates: [person(1)], dry_run: true }]) {
      const res = await addCandidate(auth, job.slug, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const array = await callRoute(jobCandidates.POST, {
      method: 'POST',
      auth,
      params: { slug: job.slug },
      body: [person(1)],
    });
    expect(array.status).toBe(422);
    expect(await countCandidates(job.id)).toBe(0);
  });
});

describe('GET /api/v1/jobs/{slug}/candidates', () => {
  it('walks every page of a bulk insert (same created_at) without gaps or repeats', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const created = await addCandidate(auth, job.slug, {
      candidates: Array.from({ length: 120 }, (_, i) => person(i)),
    });
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { id: string }[]; next_cursor: string | null } } = await callRoute(jobCandidates.GET, {
        auth,
        params: { slug: job.slug },
        path: listPath(`limit=50${cursor ? `&cursor=${cursor}` : ''}`),
      });
      sizes.push(res.body.data.length);
      seen.push(...res.body.data.map((c) => c.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(sizes).toEqual([50, 50, 20]);
    expect(new Set(seen).size).toBe(120);
    expect([...seen].sort()).toEqual([...created.body.ids].sort());
  });

  it('filters by stage and by name or email', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    await addCandidate(auth, job.slug, {
      candidates: [
        { first_name: 'Grace', last_name: 'Hopper', email: 'gh@navy.test', stage: 'hired' },
        { first_name: 'Alan', last_name: 'Turing', email: 'alan@bletchley.test', stage: 'interview' },
        { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@engine.test', stage: 'hired' },
      ],
    });
    const names = async (query: string) => {
      const res = await callRoute(jobCandidates.GET, { auth, params: { slug: job.slug }, path: listPath(query) });
      expect(res.status).toBe(200);
      return res.body.data.map((c: { last_name: string }) => c.last_name).sort();
    };
    expect(await names('stage=hired')).toEqual(['Hopper', 'Lovelace']);
    expect(await names('stage=offer')).toEqual([]);
    expect(await names('q=grace hop')).toEqual(['Hopper']);
    expect(await names('q=BLETCHLEY')).toEqual(['Turing']);
    expect(await names('q=a&stage=interview')).toEqual(['Turing']);
    expect(await names('q=%25')).toEqual([]);
  });

  it('answers 400 invalid_query for bad pagination and filters', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    for (const query of ['limit=0', 'limit=-5', 'limit=1000', 'limit=x', 'cursor=%%%', 'cursor=abc', 'stage=boss']) {
      const res = await callRoute(jobCandidates.GET, { auth, params: { slug: job.slug }, path: listPath(query) });
      expectError(res, 400, 'invalid_query', query);
    }
  });
});

describe('/api/v1/candidates/{id}', () => {
  async function setup() {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const candidate = (await addCandidate(auth, job.slug, person(1))).body;
    const patch = (body: unknown) =>
      callRoute(candidateById.PATCH, { method: 'PATCH', auth, params: { id: candidate.id }, body });
    return { auth, job, candidate, patch };
  }

  it('reads a candidate and answers 404 candidate_not_found for unknown or malformed ids', async () => {
    const { auth, candidate } = await setup();
    const read = await callRoute(candidateById.GET, { auth, params: { id: candidate.id } });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(candidate);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '1', "'; drop table candidates;--"]) {
      for (const res of [
        await callRoute(candidateById.GET, { auth, params: { id } }),
        await callRoute(candidateById.PATCH, { method: 'PATCH', auth, params: { id }, body: { stage: 'hired' } }),
        await callRoute(candidateById.DELETE, { method: 'DELETE', auth, params: { id } }),
      ]) {
        expectError(res, 404, 'candidate_not_found', id);
      }
    }
  });

  it('sets hired_at on hire, keeps it on a repeated hire, clears it on leaving hired, and audits each move', async () => {
    const { candidate, patch } = await setup();
    const hired = await patch({ stage: 'hired' });
    expect(hired.status).toBe(200);
    expect(hired.body.stage).toBe('hired');
    expect(hired.body.hired_at).toEqual(expect.any(String));
    const again = await patch({ stage: 'hired' });
    expect(again.body.hired_at).toBe(hired.body.hired_at);
    const back = await patch({ stage: 'offer' });
    expect(back.body).toMatchObject({ stage: 'offer', hired_at: null });
    const row = await getDb().selectFrom('candidates').selectAll().where('id', '=', candidate.id).executeTakeFirst();
    expect(row?.hired_at).toBeNull();
    const events = await auditEvents('candidate.stage_changed', candidate.id);
    expect(events.map((e) => e.details)).toEqual([
      expect.objectContaining({ from: 'applied', to: 'hired', hired_at: { from: null, to: hired.body.hired_at } }),
      expect.objectContaining({ from: 'hired', to: 'offer', hired_at: { from: hired.body.hired_at, to: null } }),
    ]);
  });

  it('edits names, email and phone and audits the changes', async () => {
    const { candidate, patch } = await setup();
    const res = await patch({ first_name: ' Grace ', email: 'GRACE@Example.test', phone: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      first_name: 'Grace',
      last_name: 'Last1',
      email: 'grace@example.test',
      phone: null,
    });
    const [event] = await auditEvents('candidate.updated', candidate.id);
    expect(event.details).toMatchObject({
      changes: {
        first_name: { from: 'First1', to: 'Grace' },
        email: { from: 'person1@example.test', to: 'grace@example.test' },
      },
    });
    expect(await auditEvents('candidate.stage_changed', candidate.id)).toHaveLength(0);
  });

  it('answers 409 for an email taken on the posting and 422 for bad or unknown fields', async () => {
    const { auth, job, patch } = await setup();
    await addCandidate(auth, job.slug, person(2));
    const dup = await patch({ email: 'person2@example.test' });
    expectError(dup, 409, 'duplicate_candidate');
    for (const body of [{}, { stage: 'boss' }, { email: 'x' }, { hired_at: null }, { job_posting_id: job.id }]) {
      const res = await patch(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('deletes with 204, audits it, and then answers 404', async () => {
    const { auth, candidate } = await setup();
    const del = await callRoute(candidateById.DELETE, { method: 'DELETE', auth, params: { id: candidate.id } });
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    const [event] = await auditEvents('candidate.deleted', candidate.id);
    expect(event.details).toMatchObject({ email: 'person1@example.test', name: 'First1 Last1', stage: 'applied' });
    expect((await callRoute(candidateById.GET, { auth, params: { id: candidate.id } })).status).toBe(404);
    expect(
      (await callRoute(candidateById.DELETE, { method: 'DELETE', auth, params: { id: candidate.id } })).status,
    ).toBe(404);
  });
});
