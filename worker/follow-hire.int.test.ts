import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as candidateRoute from '@/app/api/v1/candidates/[id]/route';
import * as candidateSyncRoute from '@/app/api/v1/candidates/[id]/sync-state/route';
import { listDeliveriesQuerySchema } from '@/lib/sync-admin/schemas';
import { listTaskDeliveries } from '@/lib/sync-admin/service';
import { type TestUser, callRoute, createTestUser } from '@/test/fixtures';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import { createCandidate, createJob, importCandidates, updateCandidate, updateJob } from '@/lib/recruiting/service';
import { type FakeBambooHr, startFakeBambooHr } from '@/test/fakes/bamboohr';
import { type FakeHiBob, startFakeHiBob } from '@/test/fakes/hibob';
import { type FakePersonio, startFakePersonio } from '@/test/fakes/personio';
import {
  type TestWorker,
  createTestSource,
  setupMockReceiver,
  startTestWorker,
  waitFor,
  waitForRunFinished,
} from '@/test/sync-harness';

/**
 * Sync on hire through the real worker (issue 21): a hire made the way the web makes it reaches
 * the auto sources with no Sync pressed, an edit sends one update of the same record, taking the
 * hire back sends the vendor's ending action, and a CSV import of 100 hires is one run.
 */

const admin = systemActor('test');
const mock = setupMockReceiver();
let worker: TestWorker;
let bamboo: FakeBambooHr | undefined;
let bob: FakeHiBob | undefined;
let personio: FakePersonio | undefined;
let recruiter: TestUser;

beforeAll(async () => {
  worker = await startTestWorker();
  recruiter = await createTestUser('recruiter');
});
afterEach(async () => {
  // Every auto source follows every posting: a finished test's sources must not take the next one's hires.
  await getDb().updateTable('sources').set({ is_active: false }).execute();
  await bamboo?.close();
  await bob?.close();
  await personio?.close();
  bamboo = bob = personio = undefined;
});
afterAll(async () => {
  await worker?.stop();
  await stopSender();
});

async function posting() {
  return createJob(getDb(), admin, {
    title: `Follow ${randomBytes(3).toString('hex')}`,
    department: 'Engineering',
    location: 'Berlin',
    employment_type: 'full_time',
  });
}

async function applicant(slug: string, n = 0) {
  return createCandidate(getDb(), admin, slug, {
    first_name: `Ada${n}`,
    last_name: 'Lovelace',
    email: `ada${n}-${randomBytes(3).toString('hex')}@example.test`,
    start_date: '2027-01-04',
  });
}

const hire = (id: string) => updateCandidate(getDb(), admin, id, { stage: 'hired' });

function deliveriesOf(candidateId: string) {
  return getDb()
    .selectFrom('sync_deliveries as d')
    .innerJoin('sync_runs as r', 'r.id', 'd.run_id')
    .select(['d.action', 'd.status', 'd.external_id', 'd.source_id', 'r.trigger', 'r.id as run_id'])
    .where('d.candidate_id', '=', candidateId)
    .orderBy('d.created_at')
    .execute();
}

function stateOf(candidateId: string, sourceId: string) {
  return getDb()
    .selectFrom('candidate_sync_state')
    .selectAll()
    .where('candidate_id', '=', candidateId)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
}

/** Waits until the candidate's deliveries to the source include a succeeded one of `action`. */
async function waitForAction(candidateId: string, sourceId: string, action: string, count = 1) {
  return waitFor(`${count} succeeded ${action} of ${candidateId}`, async () => {
    const rows = (await deliveriesOf(candidateId)).filter((d) => d.source_id === sourceId);
    const done = rows.filter((d) => d.action === action && d.status === 'succeeded');
    return done.length >= count ? rows : undefined;
  });
}

/** No run of the posting pending or running, and nothing noted for one. */
async function waitForQuiet(jobPostingId: string) {
  await waitFor('the posting to be quiet', async () => {
    const active = await getDb()
      .selectFrom('sync_runs')
      .select('id')
      .where('job_posting_id', '=', jobPostingId)
      .where('status', 'in', ['pending', 'running'])
      .executeTakeFirst();
    const noted = await getDb()
      .selectFrom('sync_follow_pending')
      .select('candidate_id')
      .where('job_posting_id', '=', jobPostingId)
      .executeTakeFirst();
    return !active && !noted;
  });
}

/** The candidate's page data, read as a recruiter through the route. */
async function recordAt(candidateId: string, sourceId: string) {
  const res = await callRoute(candidateSyncRoute.GET, { params: { id: candidateId }, auth: { session: recruiter } });
  expect(res.status).toBe(200);
  return res.body.sources.find((s: { source_id: string }) => s.source_id === sourceId);
}

/** The action the task page shows for each of the run's deliveries. */
async function actionsShown(runId: string) {
  const page = await listTaskDeliveries(getDb(), admin, runId, listDeliveriesQuerySchema.parse({}));
  return page.data.map((d) => d.action);
}

/** A BambooHR source at the fake, with its key (more settings of the source in `extra`). */
function bambooSource(fake: NonNullable<typeof bamboo>, extra: Record<string, unknown> = {}) {
  return createTestSource(fake.baseUrl, {
    connector: 'bamboohr',
    settings: { company_domain: fake.companyDomain },
    auth: { type: 'basic', username: 'api-key', password: fake.apiKey },
    ...extra,
  });
}

describe('BambooHR follows the hire', () => {
  it('hire -> created without Sync; two quick edits -> one update of the record; back to offer -> Inactive', async () => {
    bamboo = await startFakeBambooHr();
    const source = await bambooSource(bamboo);
    expect(source.sync_mode).toBe('auto');
    const job = await posting();
    const c = await applicant(job.slug);
    await hire(c.id);

    const [created] = await waitForAction(c.id, source.id, 'create');
    expect(created.trigger).toBe('hire');
    const employeeId = created.external_id!;
    expect(bamboo.employees.get(employeeId)).toMatchObject({ firstName: 'Ada0', hireDate: '2027-01-04' });
    await waitForQuiet(job.id);
    expect(await actionsShown(created.run_id)).toEqual(['create']);
    expect(await recordAt(c.id, source.id)).toMatchObject({
      state: 'sent',
      external_id: employeeId,
      record_url: `https://${bamboo.companyDomain}.bamboohr.com/employees/employee.php?id=${employeeId}`,
    });

    await updateCandidate(getDb(), admin, c.id, { start_date: '2027-02-01' });
    await updateCandidate(getDb(), admin, c.id, { start_date: '2027-03-01' });
    const rows = await waitForAction(c.id, source.id, 'update');
    await waitForQuiet(job.id);
    const updates = bamboo.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/employees/${employeeId}/`));
    expect(updates).toHaveLength(1);
    expect(rows.filter((r) => r.action === 'update')).toHaveLength(1);
    expect(bamboo.employees.get(employeeId)?.hireDate).toBe('2027-03-01');
    expect(bamboo.employees.size).toBe(1);
    const updateRun = rows.find((r) => r.action === 'update')!.run_id;
    expect(await actionsShown(updateRun)).toEqual(['update']);
    expect(await recordAt(c.id, source.id)).toMatchObject({ state: 'updated', external_id: employeeId });

    await updateCandidate(getDb(), admin, c.id, { stage: 'offer' });
    await waitForAction(c.id, source.id, 'withdraw');
    expect(bamboo.employees.get(employeeId)?.status).toBe('Inactive');
    expect(await stateOf(c.id, source.id)).toMatchObject({
      last_action: 'withdraw',
      last_status: 'succeeded',
      external_id: employeeId,
      delivered_payload_hash: null,
    });
    expect((await stateOf(c.id, source.id))?.withdrawn_at).not.toBeNull();
    expect(await recordAt(c.id, source.id)).toMatchObject({ state: 'withdrawn', external_id: employeeId });
    await waitForQuiet(job.id);

    // Hired again, with a later start: the same employee is made Active again, not a second one.
    await updateCandidate(getDb(), admin, c.id, { start_date: '2027-05-03' });
    await hire(c.id);
    const [rehired] = (await waitForAction(c.id, source.id, 'rehire')).filter((d) => d.action === 'rehire');
    expect(rehired).toMatchObject({ trigger: 'hire', external_id: employeeId });
    expect(bamboo.employees.size).toBe(1);
    expect(bamboo.employees.get(employeeId)).toMatchObject({ status: 'Active', hireDate: '2027-05-03' });
    const rehireRequest = bamboo.requests.at(-1)!;
    expect(rehireRequest).toMatchObject({ method: 'POST', path: expect.stringMatching(`/employees/${employeeId}/$`) });
    expect(JSON.parse(rehireRequest.body)).toMatchObject({
      status: 'Active',
      hireDate: '2027-05-03',
      firstName: 'Ada0',
    });
    await waitForQuiet(job.id);
    expect(await actionsShown(rehired.run_id)).toEqual(['rehire']);
    expect(await recordAt(c.id, source.id)).toMatchObject({
      state: 'rehired',
      last_action: 'rehire',
      external_id: employeeId,
      withdrawn_at: null,
    });
    // An edit after the rehire updates the same record again.
    await updateCandidate(getDb(), admin, c.id, { first_name: 'Augusta' });
    await waitForAction(c.id, source.id, 'update', 2);
    expect(bamboo.employees.get(employeeId)?.firstName).toBe('Augusta');
  });

  it('a second withdraw and hire again sends again, each under its own idempotency key', async () => {
    bamboo = await startFakeBambooHr();
    const source = await bambooSource(bamboo);
    const job = await posting();
    const c = await applicant(job.slug);
    await hire(c.id);
    const [created] = await waitForAction(c.id, source.id, 'create');
    await waitForQuiet(job.id);
    for (const round of [1, 2]) {
      await updateCandidate(getDb(), admin, c.id, { stage: 'offer' });
      await waitForAction(c.id, source.id, 'withdraw', round);
      await waitForQuiet(job.id);
      expect(bamboo.employees.get(created.external_id!)?.status).toBe('Inactive');
      await hire(c.id);
      await waitForAction(c.id, source.id, 'rehire', round);
      await waitForQuiet(job.id);
      expect(bamboo.employees.get(created.external_id!)?.status).toBe('Active');
    }
    const keys = await getDb()
      .selectFrom('sync_deliveries')
      .select(['action', 'idempotency_key', 'external_id'])
      .where('candidate_id', '=', c.id)
      .orderBy('created_at')
      .execute();
    expect(keys.map((k) => k.action)).toEqual(['create', 'withdraw', 'rehire', 'withdraw', 'rehire']);
    expect(new Set(keys.map((k) => k.idempotency_key)).size).toBe(5);
    expect(new Set(keys.map((k) => k.external_id))).toEqual(new Set([created.external_id]));
    expect(bamboo.employees.size).toBe(1);
  });

  it('a rehire of an employee deleted in BambooHR since adds the hire as a new employee', async () => {
    bamboo = await startFakeBambooHr();
    const source = await bambooSource(bamboo);
    const job = await posting();
    const c = await applicant(job.slug);
    await hire(c.id);
    const [created] = await waitForAction(c.id, source.id, 'create');
    await waitForQuiet(job.id);
    await updateCandidate(getDb(), admin, c.id, { stage: 'offer' });
    await waitForAction(c.id, source.id, 'withdraw');
    await waitForQuiet(job.id);
    bamboo.employees.delete(created.external_id!);

    await hire(c.id);
    const [rehired] = (await waitForAction(c.id, source.id, 'rehire')).filter((d) => d.action === 'rehire');
    expect(rehired.external_id).not.toBe(created.external_id);
    expect(bamboo.employees.size).toBe(1);
    expect(bamboo.employees.get(rehired.external_id!)).toMatchObject({ firstName: 'Ada0', status: 'Active' });
    const row = await getDb()
      .selectFrom('sync_deliveries')
      .select(['response_excerpt', 'request_excerpt', 'http_status'])
      .where('run_id', '=', rehired.run_id)
      .executeTakeFirstOrThrow();
    expect(row.http_status).toBe(201);
    expect(row.response_excerpt).toMatch(
      new RegExp(`employee ${created.external_id} is no longer in BambooHR.*new record`),
    );
    // The request shown is the create that was sent, not the rehire that found nothing.
    expect(row.request_excerpt).toMatchObject({ method: 'POST', url: expect.stringMatching(/\/employees\/$/) });
    expect(await recordAt(c.id, source.id)).toMatchObject({ state: 'rehired', external_id: rehired.external_id });
  });

  it("a change of the posting's location updates its hires' records", async () => {
    bamboo = await startFakeBambooHr();
    const source = await bambooSource(bamboo);
    const job = await posting();
    const [a, b] = [await applicant(job.slug, 0), await applicant(job.slug, 1)];
    await hire(a.id);
    await hire(b.id);
    await waitForAction(a.id, source.id, 'create');
    await waitForAction(b.id, source.id, 'create');
    await waitForQuiet(job.id);
    await updateJob(getDb(), admin, job.slug, { location: 'Munich' });
    const [updatedA] = (await waitForAction(a.id, source.id, 'update')).filter((d) => d.action === 'update');
    const [updatedB] = (await waitForAction(b.id, source.id, 'update')).filter((d) => d.action === 'update');
    expect(updatedA.run_id).toBe(updatedB.run_id);
    expect([...bamboo.employees.values()].map((e) => e.location)).toEqual(['Munich', 'Munich']);
  });

  it("an edit of a field the source's mapping leaves out sends no request; one it maps does", async () => {
    bamboo = await startFakeBambooHr();
    const source = await bambooSource(bamboo, {
      target_mapping: {
        firstName: { from: 'candidate.first_name' },
        lastName: { from: 'candidate.last_name' },
        homeEmail: { from: 'candidate.email' },
      },
    });
    const job = await posting();
    const c = await applicant(job.slug);
    await hire(c.id);
    const [created] = await waitForAction(c.id, source.id, 'create');
    await waitForQuiet(job.id);
    const before = bamboo.requests.length;

    await updateCandidate(getDb(), admin, c.id, { phone: '+49 30 1234567' });
    const [unsent] = (await waitForAction(c.id, source.id, 'update')).filter((d) => d.action === 'update');
    await waitForQuiet(job.id);
    expect(bamboo.requests).toHaveLength(before);
    const row = await getDb()
      .selectFrom('sync_deliveries')
      .select(['request_excerpt', 'response_excerpt', 'external_id'])
      .where('run_id', '=', unsent.run_id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ request_excerpt: null, external_id: created.external_id });
    expect(row.response_excerpt).toMatch(/not sent/);

    await updateCandidate(getDb(), admin, c.id, { first_name: 'Augusta' });
    await waitForAction(c.id, source.id, 'update', 2);
    expect(bamboo.requests).toHaveLength(before + 1);
    expect(bamboo.employees.get(created.external_id!)?.firstName).toBe('Augusta');
  });

  it('an edit of a field the record does not change sends nothing', async () => {
    bamboo = await startFakeBambooHr();
    const source = await bambooSource(bamboo);
    const job = await posting();
    const c = await applicant(job.slug);
    await hire(c.id);
    await waitForAction(c.id, source.id, 'create');
    await waitForQuiet(job.id);
    // The same start date again: no change, nothing noted, no run.
    await updateCandidate(getDb(), admin, c.id, { start_date: '2027-01-04' });
    await waitForQuiet(job.id);
    expect((await deliveriesOf(c.id)).map((d) => d.action)).toEqual(['create']);
  });
});

describe('HiBob follows the hire', () => {
  it('hire -> created; edit -> one update by id; withdrawn -> terminated', async () => {
    bob = await startFakeHiBob();
    const source = await createTestSource(bob.baseUrl, {
      connector: 'hibob',
      settings: {},
      auth: { type: 'basic', username: bob.serviceUserId, password: bob.token },
    });
    const job = await posting();
    const c = await applicant(job.slug);
    await hire(c.id);
    const [created] = await waitForAction(c.id, source.id, 'create');
    const id = created.external_id!;
    await waitForQuiet(job.id);

    await updateCandidate(getDb(), admin, c.id, { first_name: 'Augusta' });
    await waitForAction(c.id, source.id, 'update');
    expect(bob.employees.get(id)?.firstName).toBe('Augusta');
    expect(bob.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    await waitForQuiet(job.id);

    await updateCandidate(getDb(), admin, c.id, { stage: 'rejected' });
    await waitForAction(c.id, source.id, 'withdraw');
    expect(bob.employees.get(id)?.lifecycle.status).toBe('terminated');
    expect(bob.employees.size).toBe(1);
    await waitForQuiet(job.id);

    // Bob's API has no rehire: hired again is a create, which Bob refuses while the terminated
    // employee holds the e-mail. The failure carries Bob's reason; nothing is created twice.
    await hire(c.id);
    const failed = await waitFor('the create after the withdrawal to fail', async () => {
      const rows = await deliveriesOf(c.id);
      return rows.find((d) => d.action === 'create' && d.status === 'failed');
    });
    expect(failed.trigger).toBe('hire');
    expect((await deliveriesOf(c.id)).map((d) => d.action)).toEqual(['create', 'update', 'withdraw', 'create']);
    expect(bob.employees.size).toBe(1);
    expect(bob.employees.get(id)?.lifecycle.status).toBe('terminated');
    expect(await recordAt(c.id, source.id)).toMatchObject({
      state: 'failed',
      last_action: 'create',
      last_error: expect.stringMatching(/HTTP 400: An employee with the email .* already exists.*rehire them in Bob/),
    });
  });
});

describe('Personio follows the hire', () => {
  it('hire -> person created; edit -> one PATCH of the person; withdrawn -> employment INACTIVE', async () => {
    const secret = `sec-${randomBytes(12).toString('hex')}`;
    personio = await startFakePersonio([
      { clientId: 'ats', clientSecret: secret, scopes: ['personio:persons:read', 'personio:persons:write'] },
    ]);
    const source = await createTestSource(personio.url, {
      connector: 'personio',
      sync_endpoint: '',
      settings: {},
      auth: { type: 'oauth2_client_credentials', client_id: 'ats', client_secret: secret },
    });
    const job = await posting();
    const c = await applicant(job.slug);
    await hire(c.id);
    const [created] = await waitForAction(c.id, source.id, 'create');
    const [personId, employmentId] = created.external_id!.split('/');
    expect(personio.persons.get(personId)?.first_name).toBe('Ada0');
    await waitForQuiet(job.id);

    await updateCandidate(getDb(), admin, c.id, { first_name: 'Augusta' });
    await waitForAction(c.id, source.id, 'update');
    expect(personio.persons.get(personId)?.first_name).toBe('Augusta');
    expect(personio.requests.filter((r) => r.method === 'PATCH' && r.path === `/v2/persons/${personId}`)).toHaveLength(
      1,
    );
    await waitForQuiet(job.id);

    await updateCandidate(getDb(), admin, c.id, { stage: 'offer' });
    await waitForAction(c.id, source.id, 'withdraw');
    expect(personio.persons.get(personId)?.employments.find((e) => e.id === employmentId)?.status).toBe('INACTIVE');
    expect(personio.persons.size).toBe(1);
    await waitForQuiet(job.id);

    // Hired again with a new start date: the same employment comes back (Personio keeps the
    // email unique, so a second person could not be created anyway).
    await updateCandidate(getDb(), admin, c.id, { start_date: '2027-06-01' });
    await hire(c.id);
    const [rehired] = (await waitForAction(c.id, source.id, 'rehire')).filter((d) => d.action === 'rehire');
    expect(rehired.external_id).toBe(`${personId}/${employmentId}`);
    expect(personio.persons.size).toBe(1);
    expect(personio.persons.get(personId)?.employments).toEqual([
      expect.objectContaining({ id: employmentId, status: 'ONBOARDING', employment_start_date: '2027-06-01' }),
    ]);
    const patch = personio.requests.at(-1)!;
    expect(patch).toMatchObject({ method: 'PATCH', path: `/v2/persons/${personId}/employments/${employmentId}` });
    expect(await recordAt(c.id, source.id)).toMatchObject({ state: 'rehired', external_id: rehired.external_id });
  });

  it('a rehire of a person deleted in Personio since creates a new person', async () => {
    const secret = `sec-${randomBytes(12).toString('hex')}`;
    personio = await startFakePersonio([
      { clientId: 'ats', clientSecret: secret, scopes: ['personio:persons:read', 'personio:persons:write'] },
    ]);
    const source = await createTestSource(personio.url, {
      connector: 'personio',
      sync_endpoint: '',
      settings: {},
      auth: { type: 'oauth2_client_credentials', client_id: 'ats', client_secret: secret },
    });
    const job = await posting();
    const c = await applicant(job.slug);
    await hire(c.id);
    const [created] = await waitForAction(c.id, source.id, 'create');
    await waitForQuiet(job.id);
    await updateCandidate(getDb(), admin, c.id, { stage: 'offer' });
    await waitForAction(c.id, source.id, 'withdraw');
    await waitForQuiet(job.id);
    personio.persons.clear();

    await hire(c.id);
    const [rehired] = (await waitForAction(c.id, source.id, 'rehire')).filter((d) => d.action === 'rehire');
    expect(rehired.external_id).not.toBe(created.external_id);
    const [personId] = rehired.external_id!.split('/');
    expect(personio.persons.get(personId)).toMatchObject({ first_name: 'Ada0' });
    expect(personio.requests.slice(-2).map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH /v2/persons/${created.external_id}`.replace(/\/([^/]+)$/, '/employments/$1'),
      'POST /v2/persons',
    ]);
  });
});

describe('a generic webhook set to auto', () => {
  it('gets candidate.hired, candidate.updated and candidate.hire_withdrawn in one envelope shape', async () => {
    mock.reset();
    const path = `/follow-${randomBytes(3).toString('hex')}`;
    const source = await createTestSource(mock.url, { sync_endpoint: path, sync_mode: 'auto' });
    const job = await posting();
    const c = await applicant(job.slug);
    await hire(c.id);
    await waitForAction(c.id, source.id, 'create');
    const created = await recordAt(c.id, source.id);
    expect(created?.external_id).toBeTruthy();
    await waitForQuiet(job.id);
    await updateCandidate(getDb(), admin, c.id, { last_name: 'King', start_date: '2027-02-01' });
    await waitForAction(c.id, source.id, 'update');
    await waitForQuiet(job.id);
    await updateCandidate(getDb(), admin, c.id, { stage: 'interview' });
    await waitForAction(c.id, source.id, 'withdraw');

    const events = mock.requests({ path }).map((r) => r.json as { type: string; data: Record<string, any> });
    expect(events.map((e) => e.type)).toEqual(['candidate.hired', 'candidate.updated', 'candidate.hire_withdrawn']);
    expect(mock.requests({ path }).map((r) => r.headers['x-ats-event'])).toEqual(events.map((e) => e.type));
    for (const e of events) expect(Object.keys(e.data).sort()).toEqual(['application', 'candidate', 'job']);
    expect(events[1].data.candidate.last_name).toBe('King');
    // What changed is in the event: the start date is part of the payload, not only of its hash.
    expect(events[1].data.candidate.start_date).toBe('2027-02-01');
    expect(events[2].data.application.status).toBe('hire_withdrawn');
    // Keys per action: the three are three different deliveries to the receiver.
    expect(new Set(mock.requests({ path }).map((r) => r.headers['idempotency-key'])).size).toBe(3);
    await waitForQuiet(job.id);

    // Hired again: candidate.hired once more, in the same shape, under a key of its own.
    await hire(c.id);
    await waitForAction(c.id, source.id, 'rehire');
    const all = mock.requests({ path });
    const again = all.at(-1)!.json as { type: string; data: Record<string, any> };
    expect(again.type).toBe('candidate.hired');
    expect(all.at(-1)!.headers['x-ats-event']).toBe('candidate.hired');
    expect(Object.keys(again.data).sort()).toEqual(['application', 'candidate', 'job']);
    expect(again.data.application.status).toBe('hired');
    expect(again.data.candidate.id).toBe(c.id);
    expect(new Set(all.map((r) => r.headers['idempotency-key'])).size).toBe(all.length);
    // The receiver answers every event with an id of its own; the record stays the one the create
    // made, as with the named connectors.
    expect(await recordAt(c.id, source.id)).toMatchObject({ state: 'rehired', external_id: created?.external_id });
  });

  it('a webhook left on manual (the default) gets nothing until Sync', async () => {
    mock.reset();
    const path = `/manual-${randomBytes(3).toString('hex')}`;
    const source = await createTestSource(mock.url, { sync_endpoint: path });
    expect(source.sync_mode).toBe('manual');
    const job = await posting();
    const c = await applicant(job.slug);
    await hire(c.id);
    const noted = await getDb()
      .selectFrom('sync_follow_pending')
      .select('candidate_id')
      .where('candidate_id', '=', c.id)
      .executeTakeFirst();
    expect(noted).toBeUndefined();
  });
});

describe('hires one by one', () => {
  it('five hires made at once, each in its own request, are one run', async () => {
    bamboo = await startFakeBambooHr();
    const source = await bambooSource(bamboo);
    const job = await posting();
    const people = await Promise.all([0, 1, 2, 3, 4].map((n) => applicant(job.slug, n)));
    await Promise.all(people.map((p) => hire(p.id)));
    for (const p of people) await waitForAction(p.id, source.id, 'create');
    const runs = await getDb()
      .selectFrom('sync_runs')
      .select(['trigger', 'candidate_ids'])
      .where('job_posting_id', '=', job.id)
      .execute();
    expect(runs).toHaveLength(1);
    expect(runs[0].trigger).toBe('hire');
    expect(new Set(runs[0].candidate_ids)).toEqual(new Set(people.map((p) => p.id)));
    expect(bamboo.employees.size).toBe(5);
  });
});

/** Imports 100 hires by CSV into a new posting and waits for the one run that follows them. */
async function import100() {
  const job = await posting();
  const tag = randomBytes(3).toString('hex');
  const csv = [
    'first_name,last_name,email,stage,start_date',
    ...Array.from({ length: 100 }, (_, i) => `Hire${i},Import,hire${i}-${tag}@example.test,hired,2027-01-04`),
  ].join('\n');
  await importCandidates(getDb(), admin, job.slug, { csv, skip_invalid: false });
  const run = await waitFor('the hire run', () =>
    getDb().selectFrom('sync_runs').selectAll().where('job_posting_id', '=', job.id).executeTakeFirst(),
  );
  const finished = await waitForRunFinished(run.id, 120_000);
  expect(finished).toMatchObject({ trigger: 'hire', status: 'completed', succeeded: 100 });
  expect(finished.candidate_ids).toHaveLength(100);
  const runs = await getDb().selectFrom('sync_runs').select('id').where('job_posting_id', '=', job.id).execute();
  expect(runs).toHaveLength(1);
}

describe('a CSV import of 100 hires is one hire run: 100 records, no duplicates', () => {
  it('BambooHR', async () => {
    bamboo = await startFakeBambooHr();
    await bambooSource(bamboo, {
      max_concurrency: 16,
    });
    await import100();
    expect(bamboo.employees.size).toBe(100);
    expect(new Set([...bamboo.employees.values()].map((e) => e.homeEmail)).size).toBe(100);
    expect(bamboo.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/employees/'))).toHaveLength(100);
  });

  it('HiBob', async () => {
    bob = await startFakeHiBob();
    await createTestSource(bob.baseUrl, {
      connector: 'hibob',
      settings: {},
      auth: { type: 'basic', username: bob.serviceUserId, password: bob.token },
      max_concurrency: 16,
      // The fake does not limit; the documented 50 a minute would make this test take two.
      max_requests_per_minute: 100_000,
    });
    await import100();
    expect(bob.employees.size).toBe(100);
    expect(new Set([...bob.employees.values()].map((e) => e.email)).size).toBe(100);
    expect(bob.requests.filter((r) => r.method === 'POST')).toHaveLength(100);
  });

  it('Personio', async () => {
    const secret = `sec-${randomBytes(12).toString('hex')}`;
    personio = await startFakePersonio([
      { clientId: 'ats', clientSecret: secret, scopes: ['personio:persons:read', 'personio:persons:write'] },
    ]);
    await createTestSource(personio.url, {
      connector: 'personio',
      sync_endpoint: '',
      settings: {},
      auth: { type: 'oauth2_client_credentials', client_id: 'ats', client_secret: secret },
      max_concurrency: 16,
      max_requests_per_minute: 100_000,
    });
    await import100();
    expect(personio.persons.size).toBe(100);
    expect(new Set([...personio.persons.values()].map((p) => p.email)).size).toBe(100);
    expect(personio.requests.filter((r) => r.method === 'POST' && r.path === '/v2/persons')).toHaveLength(100);
  });

  it('a webhook set to auto', async () => {
    mock.reset();
    const path = `/import-${randomBytes(3).toString('hex')}`;
    await createTestSource(mock.url, { sync_endpoint: path, sync_mode: 'auto', max_concurrency: 16 });
    await import100();
    const events = mock.requests({ path }).map((r) => r.json as { type: string; data: { candidate: { id: string } } });
    expect(events).toHaveLength(100);
    expect(new Set(events.map((e) => e.data.candidate.id)).size).toBe(100);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['candidate.hired']));
  });
});

describe('bad input', () => {
  it('a stage change of a candidate that no longer exists: 404 candidate_not_found, nothing noted', async () => {
    bamboo = await startFakeBambooHr();
    await bambooSource(bamboo);
    const job = await posting();
    const c = await applicant(job.slug);
    await getDb().deleteFrom('candidates').where('id', '=', c.id).execute();
    const res = await callRoute(candidateRoute.PATCH, {
      method: 'PATCH',
      params: { id: c.id },
      auth: { session: recruiter },
      body: { stage: 'hired' },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('candidate_not_found');
    const noted = await getDb().selectFrom('sync_follow_pending').selectAll().execute();
    expect(noted).toEqual([]);
    const sync = await callRoute(candidateSyncRoute.GET, { params: { id: c.id }, auth: { session: recruiter } });
    expect(sync.status).toBe(404);
    expect(sync.body.error.code).toBe('candidate_not_found');
  });
});
