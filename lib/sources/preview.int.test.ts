import { beforeAll, describe, expect, it } from 'vitest';
import * as previewRoute from '@/app/api/v1/sources/preview/route';
import * as sourcesRoute from '@/app/api/v1/sources/route';
import { getDb } from '@/lib/db';
import { type Auth, callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import { api, createJobVia, expectError, person, recruiterToken } from '@/test/recruiting-fixtures';

/**
 * The source form's live preview (issue 20, item 6) through its route: a real hire rendered into
 * the create request the target would get, credentials masked, required fields named, nothing
 * sent and nothing written.
 */

const API_KEY = 'bamboo-key-7f3a9c2e51d84b06';
const BOB_TOKEN = 'bob-service-token-c41e88d2a9';
const SIGNING = 'signing-secret-0d9e7c6b5a4f3e2d';
const HEADER_SECRET = 'tenant-token-66b1c0ffee';

let admin: Auth;
let recruiter: Auth;
let hire: { id: string; first_name: string };
let hireWithoutStart: { id: string };

const preview = (body: Record<string, unknown>, auth: Auth = admin) =>
  callRoute(previewRoute.POST, { method: 'POST', auth, body });

async function hireOne(n: number, extra: Record<string, unknown>) {
  const job = await createJobVia(recruiter, {
    department: 'Engineering',
    location: 'Berlin',
    employment_type: 'full_time',
  });
  const res = await callRoute(api.jobCandidates.POST, {
    method: 'POST',
    auth: recruiter,
    params: { slug: job.slug },
    body: person(n, { stage: 'hired', phone: '+49 30 1234567', ...extra }),
  });
  if (res.status !== 201) throw new Error(`hiring failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function counts() {
  const db = getDb();
  const [sources, audit, deliveries] = await Promise.all(
    (['sources', 'audit_events', 'sync_deliveries'] as const).map((t) =>
      db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
  );
  return { sources: sources.n, audit: audit.n, deliveries: deliveries.n };
}

beforeAll(async () => {
  admin = { token: await createTestToken(await createTestUser('admin')) };
  recruiter = await recruiterToken();
});

describe('POST /api/v1/sources/preview', () => {
  it('says there is nothing to show before anyone is hired', async () => {
    const res = await preview({ connector: 'bamboohr', settings: { company_domain: 'acme' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      candidate: null,
      candidates: [],
      request: null,
      notice: expect.stringMatching(/Hire a candidate/),
    });
  });

  it('renders the most recent hire into BambooHR’s create request, the API key masked', async () => {
    hireWithoutStart = await hireOne(1, {});
    hire = await hireOne(2, { first_name: '  Ada ', start_date: '2027-02-01' });
    const res = await preview({
      connector: 'bamboohr',
      settings: { company_domain: 'acme' },
      base_url: 'https://acme.bamboohr.com/api/v1',
      auth: { type: 'basic', username: 'api-key', password: API_KEY },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.candidate).toMatchObject({ id: hire.id, name: 'Ada Last2' });
    expect(res.body.candidates.map((c: { id: string }) => c.id)).toEqual([hire.id, hireWithoutStart.id]);
    expect(res.body.request).toMatchObject({
      method: 'POST',
      url: 'https://acme.bamboohr.com/api/v1/employees/',
    });
    expect(res.body.request.headers.authorization).toBe('Basic ••••••');
    expect(JSON.parse(res.body.request.body)).toMatchObject({
      firstName: 'Ada',
      lastName: 'Last2',
      homeEmail: 'person2@example.test',
      hireDate: '2027-02-01',
      department: 'Engineering',
      location: 'Berlin',
      employmentHistoryStatus: 'Full-Time',
    });
    expect(res.body.missing_required).toEqual([]);
    expect(res.body.problems).toEqual([]);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(Buffer.from(`${API_KEY}:x`).toString('base64'));
  });

  it('follows a mapping edit, and names a required field the mapping no longer fills', async () => {
    const res = await preview({
      connector: 'bamboohr',
      settings: { company_domain: 'acme' },
      candidate_id: hire.id,
      target_mapping: {
        lastName: { from: 'candidate.last_name', transforms: [{ kind: 'upper' }] },
        jobTitle: { value: 'Engineer' },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(JSON.parse(res.body.request.body)).toEqual({ lastName: 'LAST2', jobTitle: 'Engineer' });
    expect(res.body.missing_required).toEqual([{ field: 'firstName', label: 'First name', from: null }]);
    expect(res.body.problems).toEqual(
      expect.arrayContaining([
        { path: 'target_mapping.firstName', message: 'required by BambooHR' },
        { path: 'candidate', message: 'BambooHR requires firstName: the candidate has no value for it' },
      ]),
    );
  });

  it('names the required field a candidate has no value for, as the per-delivery error does (HiBob)', async () => {
    const res = await preview({
      connector: 'hibob',
      candidate_id: hireWithoutStart.id,
      auth: { type: 'basic', username: 'SERVICE-1', password: BOB_TOKEN },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.request.url).toBe('https://api.hibob.com/v1/people');
    expect(res.body.missing_required).toEqual([
      { field: 'work.startDate', label: expect.any(String), from: 'candidate.start_date' },
    ]);
    expect(res.body.problems).toContainEqual({
      path: 'candidate',
      message: 'HiBob requires work.startDate (from candidate.start_date): the candidate has no value for it',
    });
    expect(JSON.stringify(res.body)).not.toContain(BOB_TOKEN);
  });

  it('starts from a stored source: its secrets only decide which headers exist, and appear nowhere', async () => {
    const created = await callRoute(sourcesRoute.POST, {
      method: 'POST',
      auth: admin,
      body: {
        name: 'Preview receiver',
        connector: 'generic_webhook',
        base_url: 'https://hooks.example.test',
        sync_endpoint: '/hires',
        auth: { type: 'api_key_header', header: 'X-Api-Key', value: API_KEY },
        signing_secret: SIGNING,
        signing_mode: 'legacy',
        headers: { 'X-Tenant': 'acme', 'X-Tenant-Token': HEADER_SECRET },
        field_mapping: { 'candidate.email': 'email_address' },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const before = await counts();
    const res = await preview({ source_id: created.body.id, candidate_id: hire.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { headers, body, url } = res.body.request;
    expect(url).toBe('https://hooks.example.test/hires');
    expect(headers).toMatchObject({
      'x-api-key': '••••••',
      // Legacy mode: X-ATS-Signature and the Standard Webhooks headers, each signature masked, its version kept.
      'x-ats-signature': 'v1=••••••',
      'webhook-signature': 'v1,••••••',
      'webhook-id': '<delivery-id>',
      'webhook-timestamp': expect.stringMatching(/^\d{10}$/),
      'x-tenant-token': '••••••',
      'x-tenant': 'acme',
      'content-type': 'application/json',
      'idempotency-key': '<idempotency-key>',
    });
    expect(JSON.parse(body).data.candidate).toMatchObject({ email_address: 'person2@example.test' });
    const text = JSON.stringify(res.body);
    for (const secret of [API_KEY, SIGNING, HEADER_SECRET]) expect(text).not.toContain(secret);

    // The form's own edits win over the stored source, as a PATCH would: no signing secret, bearer auth.
    const edited = await preview({
      source_id: created.body.id,
      signing_secret: null,
      auth: { type: 'bearer', token: 'typed-token-value-123' },
    });
    expect(edited.body.request.headers.authorization).toBe('Bearer ••••••');
    expect(edited.body.request.headers['x-ats-signature']).toBeUndefined();
    expect(edited.body.request.headers['webhook-signature']).toBeUndefined();
    expect(JSON.stringify(edited.body)).not.toContain('typed-token-value-123');
    expect(await counts()).toEqual(before);
  });

  it('masks the OAuth2 token the engine would add (Personio), fetching none', async () => {
    const res = await preview({
      connector: 'personio',
      candidate_id: hire.id,
      auth: { type: 'oauth2_client_credentials', client_id: 'papi-client', client_secret: 'papi-secret-99' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.request.headers.authorization).toBe('Bearer ••••••');
    expect(JSON.stringify(res.body)).not.toContain('papi-secret-99');
  });

  it('names what keeps the source from sending: settings, a missing secret, no base URL', async () => {
    const res = await preview({ connector: 'bamboohr', settings: { company_domain: 'not a domain!' } });
    expect(res.status).toBe(200);
    expect(res.body.request).toBeNull();
    expect(res.body.problems).toEqual(
      expect.arrayContaining([
        { path: 'settings.company_domain', message: expect.any(String) },
        { path: 'auth.password', message: 'is required' },
      ]),
    );
    const webhook = await preview({ connector: 'generic_webhook' });
    expect(webhook.body.problems).toContainEqual({ path: 'base_url', message: 'is required' });
  });

  it('refuses bad input with 422 and paths, an unknown hire with 404, and recruiters with 403', async () => {
    const before = await counts();
    const bad = await preview({
      connector: 'bamboohr',
      target_mapping: { firstName: { from: 'candidate.x', value: 'y' } },
    });
    expectError(bad, 422, 'validation_failed');
    expect(bad.body.error.details[0].path).toMatch(/^target_mapping\.firstName/);
    const badUrl = await preview({ base_url: 'ftp://x.example' });
    expectError(badUrl, 422, 'validation_failed');
    expect(badUrl.body.error.details).toContainEqual({ path: 'base_url', message: expect.any(String) });
    const unknownKey = await preview({ connector: 'bamboohr', secret_header: 'x' });
    expectError(unknownKey, 422, 'validation_failed');
    const control = await preview({ connector: 'bamboohr', settings: { company_domain: 'ac\u0000me' } });
    expectError(control, 422, 'validation_failed');
    expectError(await preview({ connector: 'sap' }), 422, 'unknown_connector');
    expectError(await preview({ candidate_id: '00000000-0000-4000-8000-000000000000' }), 404, 'candidate_not_found');
    expectError(await preview({ source_id: '00000000-0000-4000-8000-000000000000' }), 404, 'source_not_found');
    expectError(await preview({ connector: 'bamboohr' }, recruiter), 403, 'forbidden');
    expect(await counts()).toEqual(before);
  });
});
