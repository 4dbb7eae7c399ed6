import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { claimDeliveries } from '@/lib/sync/delivery-repository';
import { type Auth, callRoute } from '@/test/fixtures';
import { api, auditEvents, createJobVia, expectError, person, recruiterToken } from '@/test/recruiting-fixtures';

// Issue 20 item 4: the data an HR system needs, on candidates (start date) and postings (employment type).

function addCandidate(auth: Auth, slug: string, body: Record<string, unknown>) {
  return callRoute(api.jobCandidates.POST, { method: 'POST', auth, params: { slug }, body });
}

function patchCandidate(auth: Auth, id: string, body: Record<string, unknown>) {
  return callRoute(api.candidateById.PATCH, { method: 'PATCH', auth, params: { id }, body });
}

describe('candidates: start_date', () => {
  it('is set with the hire, edited and cleared through the API, and recorded in the audit trail', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const hired = await addCandidate(auth, job.slug, person(1, { stage: 'hired', start_date: '2027-01-04' }));
    expect(hired.status).toBe(201);
    expect(hired.body).toMatchObject({ stage: 'hired', start_date: '2027-01-04' });

    const other = await addCandidate(auth, job.slug, person(2));
    expect(other.body.start_date).toBeNull();
    const hiring = await patchCandidate(auth, other.body.id, { stage: 'hired', start_date: '2027-03-01' });
    expect(hiring.status).toBe(200);
    expect(hiring.body).toMatchObject({ stage: 'hired', start_date: '2027-03-01', hired_at: expect.any(String) });

    const moved = await patchCandidate(auth, other.body.id, { start_date: '2027-03-15' });
    expect(moved.body.start_date).toBe('2027-03-15');
    const [event] = (await auditEvents('candidate.updated', other.body.id)).slice(-1);
    expect(event.details).toMatchObject({ changes: { start_date: { from: '2027-03-01', to: '2027-03-15' } } });

    const cleared = await patchCandidate(auth, other.body.id, { start_date: null });
    expect(cleared.body.start_date).toBeNull();
    const get = await callRoute(api.candidateById.GET, { auth, params: { id: hired.body.id } });
    expect(get.body.start_date).toBe('2027-01-04');
  });

  it('refuses a bad date with 422 naming start_date, changing nothing', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    for (const bad of ['2027-02-30', '04/01/2027', '2027-1-4', 'tomorrow', 20270104]) {
      const res = await addCandidate(auth, job.slug, person(3, { stage: 'hired', start_date: bad }));
      expectError(res, 422, 'validation_failed', String(bad));
      expect(res.body.error.details).toEqual([{ path: 'start_date', message: expect.any(String) }]);
    }
    const created = await addCandidate(auth, job.slug, person(4, { stage: 'hired', start_date: '2027-01-04' }));
    const refused = await patchCandidate(auth, created.body.id, { start_date: '2027-13-01', first_name: 'Changed' });
    expectError(refused, 422, 'validation_failed');
    const row = await getDb()
      .selectFrom('candidates')
      .select(['start_date', 'first_name'])
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ start_date: '2027-01-04', first_name: 'First4' });
  });

  it('is read from a start_date column of the CSV import; a bad value is reported on its row', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const csv = [
      'first_name,last_name,email,stage,start_date',
      'Ann,One,ann@example.test,hired,2027-01-04',
      'Bob,Two,bob@example.test,hired,',
      'Cy,Three,cy@example.test,hired,31.01.2027',
    ].join('\n');
    const refused = await callRoute(api.jobImport.POST, {
      method: 'POST',
      auth,
      params: { slug: job.slug },
      body: { csv },
    });
    expectError(refused, 422, 'validation_failed');
    expect(refused.body.error.details).toEqual([{ row: 4, message: 'start_date: must be a date as YYYY-MM-DD' }]);

    const res = await callRoute(api.jobImport.POST, {
      method: 'POST',
      auth,
      params: { slug: job.slug },
      body: { csv, skip_invalid: true },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      created: 2,
      skipped: [{ row: 4, message: 'start_date: must be a date as YYYY-MM-DD' }],
    });
    const list = await callRoute(api.jobCandidates.GET, { auth, params: { slug: job.slug }, path: '/x?limit=100' });
    const byEmail = Object.fromEntries(
      list.body.data.map((c: { email: string; start_date: string | null }) => [c.email, c.start_date]),
    );
    expect(byEmail).toEqual({ 'ann@example.test': '2027-01-04', 'bob@example.test': null });
  });
});

describe('postings: employment_type', () => {
  it('is set on create and changed or cleared on update; anything else is 422 naming it', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth, { department: 'R&D', location: 'Berlin', employment_type: 'part_time' });
    expect(job).toMatchObject({ department: 'R&D', location: 'Berlin', employment_type: 'part_time' });
    const plain = await createJobVia(auth);
    expect(plain.employment_type).toBeNull();

    const patch = (body: Record<string, unknown>) =>
      callRoute(api.jobBySlug.PATCH, { method: 'PATCH', auth, params: { slug: job.slug }, body });
    expect((await patch({ employment_type: 'contract' })).body.employment_type).toBe('contract');
    const [event] = (await auditEvents('job.updated', job.id)).slice(-1);
    expect(event.details).toMatchObject({ changes: { employment_type: { from: 'part_time', to: 'contract' } } });

    for (const bad of ['freelance', 'FULL_TIME', 3]) {
      const res = await patch({ employment_type: bad, title: 'Changed' });
      expectError(res, 422, 'validation_failed', String(bad));
      expect(res.body.error.details).toEqual([{ path: 'employment_type', message: expect.any(String) }]);
    }
    const created = await callRoute(api.jobs.POST, {
      method: 'POST',
      auth,
      body: { title: 'Bad type', employment_type: 'gig' },
    });
    expectError(created, 422, 'validation_failed');
    expect((await patch({ employment_type: null })).body).toMatchObject({ employment_type: null, title: job.title });
  });
});

describe('the delivery claim', () => {
  it('carries the start date and the employment type to the connector', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth, { employment_type: 'internship' });
    const hired = await addCandidate(auth, job.slug, person(5, { stage: 'hired', start_date: '2027-06-01' }));
    const db = getDb();
    const sourceRow = await db
      .insertInto('sources')
      .values({ name: 'Claim test', connector: 'generic_webhook', base_url: 'http://127.0.0.1:9' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const run = await db
      .insertInto('sync_runs')
      .values({ job_posting_id: job.id, trigger: 'api', status: 'running' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const delivery = await db
      .insertInto('sync_deliveries')
      .values({
        run_id: run.id,
        source_id: sourceRow.id,
        candidate_id: hired.body.id,
        idempotency_key: 'claim-test-1',
        payload_hash: 'claim-test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const claimed = await claimDeliveries(db, 'worker-test', sourceRow.id, [delivery.id], 60);
    expect(claimed.rows).toHaveLength(1);
    expect(claimed.rows[0]).toMatchObject({ start_date: '2027-06-01', employment_type: 'internship' });
  });
});
