import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as syncRoute from '@/app/(app)/recruitment/jobs/[slug]/sync-hired-candidates/route';
import * as statusRoute from '@/app/recruitment/sync/task/[taskId]/status/route';
import { stopSender } from '@/lib/queue/sender';
import { getDb } from '@/lib/db';
import { Webhook } from 'standardwebhooks';
import { generateSigningSecret } from '@/lib/http/webhook-secret';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import {
  type TestWorker,
  createPostingWithHired,
  createTestSource,
  startTestWorker,
  waitForRunFinished,
  setupMockReceiver,
} from '@/test/sync-harness';

const SIGNING_SECRET = generateSigningSecret();
const BEARER = 'hris-bearer-token-very-secret-1234';

const mock = setupMockReceiver({ signingSecrets: { '/hris': SIGNING_SECRET } });
let worker: TestWorker;

beforeAll(async () => {
  worker = await startTestWorker();
});

afterAll(async () => {
  await worker?.stop();
  await stopSender();
});

describe('sync happy path', () => {
  it('delivers every hired candidate to a webhook source with the documented headers, body and signature', async () => {
    const user = await createTestUser('recruiter');
    const token = await createTestToken(user);
    const posting = await createPostingWithHired(3, 2);
    const source = await createTestSource(mock.url, {
      name: 'HRIS',
      sync_endpoint: '/hris/hired',
      auth: { type: 'bearer', token: BEARER },
      signing_secret: SIGNING_SECRET,
      headers: { 'X-Tenant': 'acme' },
    });

    const res = await callRoute(syncRoute.POST, {
      method: 'POST',
      path: `/recruitment/jobs/${posting.slug}/sync-hired-candidates/`,
      params: { slug: posting.slug },
      auth: { token },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      task_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'pending',
      status_url: `/recruitment/sync/task/${res.body.task_id}/status/`,
      deduplicated: false,
    });
    const immediate = await callRoute(statusRoute.GET, { params: { taskId: res.body.task_id }, auth: { token } });
    expect(immediate.status).toBe(200);
    expect(['pending', 'running', 'completed']).toContain(immediate.body.status);

    const run = await waitForRunFinished(res.body.task_id);
    expect(run).toMatchObject({ status: 'completed', total: 3, succeeded: 3, failed: 0, skipped: 0, trigger: 'api' });

    const received = mock.requests({ path: '/hris' });
    expect(received).toHaveLength(3);
    const deliveries = await getDb().selectFrom('sync_deliveries').selectAll().where('run_id', '=', run.id).execute();
    for (const r of received) {
      expect(r.method).toBe('POST');
      expect(r.path).toBe('/hris/hired');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers.authorization).toBe(`Bearer ${BEARER}`);
      expect(r.headers['x-tenant']).toBe('acme');
      expect(r.headers['x-ats-event']).toBe('candidate.hired');
      expect(r.headers['x-ats-timestamp']).toMatch(/^\d{10}$/);
      expect(r.signature_valid).toBe(true);
      // A new source signs the Standard Webhooks way only, verified by its reference library.
      expect(new Webhook(SIGNING_SECRET).verify(r.body, r.headers)).toEqual(r.json);
      expect(r.headers['x-ats-signature']).toBeUndefined();
      const body = r.json as any;
      const delivery = deliveries.find((d) => d.id === body.id)!;
      expect(delivery).toBeDefined();
      expect(r.headers['x-ats-delivery-id']).toBe(delivery.id);
      expect(r.headers['webhook-id']).toBe(delivery.id);
      expect(r.headers['idempotency-key']).toBe(delivery.idempotency_key);
      expect(Object.keys(body).sort()).toEqual(['attempt', 'created_at', 'data', 'id', 'type']);
      expect(body).toMatchObject({ type: 'candidate.hired', attempt: 1 });
      expect(body.data.application.status).toBe('hired');
      expect(Object.keys(body.data.candidate).sort()).toEqual([
        'email',
        'first_name',
        'id',
        'last_name',
        'phone',
        'start_date',
      ]);
      expect(body.data.job).toEqual({
        id: posting.id,
        slug: posting.slug,
        title: `Posting ${posting.slug}`,
        department: 'Engineering',
        location: 'Remote',
        employment_type: null,
      });
      expect(posting.candidateIds).toContain(body.data.candidate.id);
      expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1, http_status: 200, error_code: null });
      expect(delivery.external_id).toBeTruthy();
      expect(JSON.stringify(delivery.request_excerpt)).not.toContain(BEARER);
    }

    const status = await callRoute(statusRoute.GET, { params: { taskId: run.id }, auth: { token } });
    expect(status.body).toMatchObject({
      task_id: run.id,
      status: 'completed',
      job: { slug: posting.slug },
      trigger: 'api',
      progress: { total: 3, processed: 3, succeeded: 3, failed: 0, skipped: 0, percent: 100 },
      sources: [{ source_id: source.id, name: 'HRIS', status: 'completed', succeeded: 3, failed: 0, skipped: 0 }],
      errors: [],
      log_url: `/sync-admin/tasks/${run.id}`,
    });
    const etag = status.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await callRoute(statusRoute.GET, {
      params: { taskId: run.id },
      auth: { token },
      headers: { 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
  });

  it('delivers in chunks to a batch source and reads per-item results', async () => {
    const posting = await createPostingWithHired(7);
    const source = await createTestSource(mock.url, {
      connector: 'rest_batch',
      sync_endpoint: '/payroll/batch',
      batch_size: 3,
      auth: { type: 'api_key_header', header: 'X-Api-Key', value: 'payroll-key-123456' },
    });
    const user = await createTestUser('recruiter');
    const res = await callRoute(syncRoute.POST, {
      method: 'POST',
      params: { slug: posting.slug },
      auth: { session: user },
      body: { source_ids: [source.id] },
    });
    expect(res.status).toBe(202);
    const run = await waitForRunFinished(res.body.task_id);
    expect(run).toMatchObject({ status: 'completed', total: 7, succeeded: 7, trigger: 'manual' });
    const received = mock.requests({ path: '/payroll' });
    expect(received.map((r) => (r.json as any).candidates.length).sort()).toEqual([1, 3, 3]);
    for (const r of received) {
      expect(r.headers['x-api-key']).toBe('payroll-key-123456');
      for (const item of (r.json as any).candidates) {
        expect(Object.keys(item).sort()).toEqual([
          'application',
          'attempt',
          'candidate',
          'id',
          'idempotency_key',
          'job',
        ]);
      }
    }
    const externalIds = await getDb()
      .selectFrom('sync_deliveries')
      .select('external_id')
      .where('run_id', '=', run.id)
      .execute();
    expect(externalIds.every((d) => d.external_id)).toBe(true);
  });
});
