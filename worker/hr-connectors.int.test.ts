import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import type { CreateSourceInput } from '@/lib/sources/schemas';
import { updateSource } from '@/lib/sources/service';
import { systemActor } from '@/lib/auth/actor';
import { type FakeBambooHr, startFakeBambooHr } from '@/test/fakes/bamboohr';
import { type FakeHiBob, startFakeHiBob } from '@/test/fakes/hibob';
import {
  type TestWorker,
  createPostingWithHired,
  createTestSource,
  startSyncOf,
  startTestWorker,
  waitForRunFinished,
} from '@/test/sync-harness';

/**
 * BambooHR and HiBob through the real worker (issue 20, item 2): a sync of a posting's hires to a
 * source of each connector, pointed at its local fake. Created (the vendor's id stored), a required
 * field missing (a per-candidate error naming it, nothing sent), wrong credentials (auth_failed,
 * nothing retried), a 429 (retried after the vendor's wait, nothing lost).
 */

let worker: TestWorker;
let bamboo: FakeBambooHr | undefined;
let bob: FakeHiBob | undefined;

beforeAll(async () => {
  worker = await startTestWorker();
});
afterEach(async () => {
  await bamboo?.close();
  await bob?.close();
  bamboo = bob = undefined;
});
afterAll(async () => {
  await worker?.stop();
  await stopSender();
});

/** Hires with a start date and a posting with an employment type, as the HR connectors map them. */
async function postingWithStartDates(hired: number, startDate: string | null = '2027-01-04') {
  const posting = await createPostingWithHired(hired);
  const db = getDb();
  await db
    .updateTable('job_postings')
    .set({ location: 'Berlin', employment_type: 'full_time' })
    .where('id', '=', posting.id)
    .execute();
  await db.updateTable('candidates').set({ start_date: startDate }).where('id', 'in', posting.candidateIds).execute();
  return posting;
}

async function deliveriesOf(runId: string) {
  return getDb()
    .selectFrom('sync_deliveries')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('candidate_id')
    .execute();
}

async function bambooSource(fake: FakeBambooHr, key = fake.apiKey) {
  return createTestSource(fake.baseUrl, {
    connector: 'bamboohr',
    settings: { company_domain: fake.companyDomain },
    auth: { type: 'basic', username: 'api-key', password: key },
    max_attempts: 3,
  });
}

async function bobSource(fake: FakeHiBob, token = fake.token, overrides: Partial<CreateSourceInput> = {}) {
  return createTestSource(fake.baseUrl, {
    connector: 'hibob',
    settings: {},
    auth: { type: 'basic', username: fake.serviceUserId, password: token },
    max_attempts: 3,
    ...overrides,
  });
}

/** Offices as the ATS names them, onto the sites Bob knows; an office not listed has no site. */
const SITE_MAP = {
  firstName: { from: 'candidate.first_name', transforms: [{ kind: 'trim' as const }] },
  surname: { from: 'candidate.last_name', transforms: [{ kind: 'trim' as const }, { kind: 'upper' as const }] },
  email: { from: 'candidate.email', transforms: [{ kind: 'lower' as const }] },
  'work.site': {
    from: 'job.location',
    transforms: [
      { kind: 'map' as const, values: { 'Berlin Office': 'Berlin', 'London Office': 'London' }, otherwise: null },
    ],
  },
  'work.startDate': {
    from: 'candidate.start_date',
    transforms: [{ kind: 'date' as const, format: 'yyyy-MM-dd' as const }],
  },
  'work.title': { value: 'Engineer' },
};

async function postingAt(location: string, hired: number) {
  const posting = await postingWithStartDates(hired);
  await getDb().updateTable('job_postings').set({ location }).where('id', '=', posting.id).execute();
  return posting;
}

describe('BambooHR through the worker', () => {
  it('creates one employee per hire and stores the id from Location', async () => {
    bamboo = await startFakeBambooHr();
    const source = await bambooSource(bamboo);
    const posting = await postingWithStartDates(3);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    expect(run.status).toBe('completed');
    const rows = await deliveriesOf(run.id);
    expect(rows.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(new Set(rows.map((r) => r.external_id))).toEqual(new Set(bamboo.employees.keys()));
    expect([...bamboo.employees.values()][0]).toMatchObject({
      hireDate: '2027-01-04',
      location: 'Berlin',
      employmentHistoryStatus: 'Full-Time',
    });
  });

  it('a candidate without a first name fails naming firstName, and is not sent', async () => {
    bamboo = await startFakeBambooHr();
    const source = await bambooSource(bamboo);
    const posting = await postingWithStartDates(2);
    await getDb()
      .updateTable('candidates')
      .set({ first_name: '   ' })
      .where('id', '=', posting.candidateIds[0])
      .execute();
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    const byCandidate = new Map((await deliveriesOf(run.id)).map((r) => [r.candidate_id, r]));
    expect(byCandidate.get(posting.candidateIds[0])).toMatchObject({ status: 'failed', error_code: 'missing_field' });
    expect(byCandidate.get(posting.candidateIds[0])?.error_message).toMatch(/firstName/);
    expect(byCandidate.get(posting.candidateIds[1])?.status).toBe('succeeded');
    expect(bamboo.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a wrong API key: auth_failed, the source turns auth_failed, nothing retried', async () => {
    bamboo = await startFakeBambooHr();
    const source = await bambooSource(bamboo, 'not-the-key-1234');
    const posting = await postingWithStartDates(1);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    const [row] = await deliveriesOf(run.id);
    expect(row).toMatchObject({ status: 'failed', error_code: 'auth_failed', http_status: 401, attempts: 1 });
    expect(bamboo.requests).toHaveLength(1);
    const stored = await getDb()
      .selectFrom('sources')
      .select('health_status')
      .where('id', '=', source.id)
      .executeTakeFirstOrThrow();
    expect(stored.health_status).toBe('auth_failed');
  });

  it('a 429 is retried after Retry-After and every hire arrives once', async () => {
    bamboo = await startFakeBambooHr();
    bamboo.rateLimit.next(1, 1);
    const source = await bambooSource(bamboo);
    const posting = await postingWithStartDates(2);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    expect(run.status).toBe('completed');
    expect(bamboo.requests.map((r) => r.status).filter((s) => s === 429)).toHaveLength(1);
    expect(bamboo.employees.size).toBe(2);
  });
});

describe('HiBob through the worker', () => {
  it('creates one person per hire with site and start date, and stores the id', async () => {
    bob = await startFakeHiBob();
    const source = await bobSource(bob);
    const posting = await postingWithStartDates(2);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    expect(run.status).toBe('completed');
    const rows = await deliveriesOf(run.id);
    expect(new Set(rows.map((r) => r.external_id))).toEqual(new Set(bob.employees.keys()));
    expect([...bob.employees.values()][0].work).toEqual({ site: 'Berlin', startDate: '2027-01-04' });
  });

  it('a hire without a start date fails naming work.startDate, and is not sent', async () => {
    bob = await startFakeHiBob();
    const source = await bobSource(bob);
    const posting = await postingWithStartDates(1, null);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    const [row] = await deliveriesOf(run.id);
    expect(row).toMatchObject({ status: 'failed', error_code: 'missing_field' });
    expect(row.error_message).toMatch(/work\.startDate \(from candidate\.start_date\)/);
    expect(bob.requests).toHaveLength(0);
  });

  it('a site Bob does not know: failed with its answer naming work.site', async () => {
    bob = await startFakeHiBob({ sites: ['London'] });
    const source = await bobSource(bob);
    const posting = await postingWithStartDates(1);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    const [row] = await deliveriesOf(run.id);
    expect(row).toMatchObject({ status: 'failed', http_status: 400, attempts: 1 });
    expect(row.error_message).toMatch(/work\.site/);
  });

  it('a wrong token: auth_failed, the source turns auth_failed, nothing retried', async () => {
    bob = await startFakeHiBob();
    const source = await bobSource(bob, 'wrong-token-4321');
    const posting = await postingWithStartDates(1);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    const [row] = await deliveriesOf(run.id);
    expect(row).toMatchObject({ status: 'failed', error_code: 'auth_failed', http_status: 401, attempts: 1 });
    expect(bob.requests).toHaveLength(1);
    const stored = await getDb()
      .selectFrom('sources')
      .select('health_status')
      .where('id', '=', source.id)
      .executeTakeFirstOrThrow();
    expect(stored.health_status).toBe('auth_failed');
  });

  it('a 429 waits for X-RateLimit-Reset and every hire arrives once', async () => {
    bob = await startFakeHiBob();
    bob.rateLimit.next(1, 1);
    const source = await bobSource(bob);
    const posting = await postingWithStartDates(2);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    expect(run.status).toBe('completed');
    expect(bob.requests.filter((r) => r.status === 429)).toHaveLength(1);
    expect(bob.employees.size).toBe(2);
  });
});

describe("a HiBob source's own target mapping through the worker", () => {
  it('delivers the mapped values: the site from a value map of the location, the surname upper-cased', async () => {
    bob = await startFakeHiBob();
    const source = await bobSource(bob, bob.token, { target_mapping: SITE_MAP });
    const posting = await postingAt('Berlin Office', 2);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    expect(run.status).toBe('completed');
    const rows = await deliveriesOf(run.id);
    expect(rows.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const people = [...bob.employees.values()].sort((a, b) => a.surname.localeCompare(b.surname));
    expect(people.map((p) => p.surname)).toEqual(['LAST0', 'LAST1']);
    expect(people[0].work).toEqual({ site: 'Berlin', startDate: '2027-01-04', title: 'Engineer' });
  });

  it('a location the map leaves without a site: missing_field naming work.site, nothing sent', async () => {
    bob = await startFakeHiBob();
    const source = await bobSource(bob, bob.token, { target_mapping: SITE_MAP });
    const posting = await postingAt('Munich Office', 1);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    const [row] = await deliveriesOf(run.id);
    expect(row).toMatchObject({ status: 'failed', error_code: 'missing_field', attempts: 1 });
    expect(row.error_message).toMatch(/work\.site \(from job\.location\)/);
    expect(bob.requests).toHaveLength(0);
  });

  it('a changed mapping is sent again: the same content is skipped, new rules are not', async () => {
    bob = await startFakeHiBob();
    const source = await bobSource(bob, bob.token, { target_mapping: SITE_MAP });
    const posting = await postingAt('Berlin Office', 1);
    const first = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    expect((await deliveriesOf(first.id)).map((r) => r.status)).toEqual(['succeeded']);
    const same = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    expect((await deliveriesOf(same.id)).map((r) => r.status)).toEqual(['skipped']);

    const { surname: _upper, ...rest } = SITE_MAP;
    await updateSource(getDb(), systemActor('test'), source.id, {
      target_mapping: { ...rest, surname: { from: 'candidate.last_name' } },
    });
    const changed = await waitForRunFinished(await startSyncOf(posting.slug, [source.id]));
    expect((await deliveriesOf(changed.id)).map((r) => r.status)).not.toContain('skipped');
    // The person exists there already (issue 21): the new content is an update of it, not a second person.
    expect((await deliveriesOf(changed.id)).map((r) => r.action)).toEqual(['update']);
    expect(bob.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    const puts = bob.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(JSON.parse(puts[0].body)).toMatchObject({ surname: 'Last0' });
  });
});
