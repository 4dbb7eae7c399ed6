import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pauseRoute from '@/app/api/v1/sources/[id]/pause/route';
import * as resumeRoute from '@/app/api/v1/sources/[id]/resume/route';
import * as sourceRoute from '@/app/api/v1/sources/[id]/route';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import { pauseSource } from '@/lib/sync/limits-repository';
import { type Auth, callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import { auditEvents, expectError } from '@/test/recruiting-fixtures';
import { createTestSource } from '@/test/sync-harness';
import { deleteSource } from './service';

/**
 * The pause and resume routes' answers and bad input: unknown or deleted sources are 404
 * source_not_found, a recruiter is refused, a bad body is refused; none of them changes anything.
 * Pausing a paused source and resuming a running one are idempotent (200, `changed: false`).
 */
let admin: Auth;
let recruiter: Auth;

beforeAll(async () => {
  admin = { token: await createTestToken(await createTestUser('admin')) };
  recruiter = { token: await createTestToken(await createTestUser('recruiter')) };
});

afterAll(async () => {
  await stopSender();
});

const pause = (id: string, auth: Auth, body?: unknown) =>
  callRoute(pauseRoute.POST, { method: 'POST', params: { id }, auth, body });
const resume = (id: string, auth: Auth) => callRoute(resumeRoute.POST, { method: 'POST', params: { id }, auth });

async function pauseRows() {
  return getDb().selectFrom('source_pauses').selectAll().execute();
}

describe('bad input changes nothing', () => {
  it('an unknown, deleted or malformed source id is 404', async () => {
    const deleted = await createTestSource('http://127.0.0.1:9/');
    await deleteSource(getDb(), systemActor('test'), deleted.id);
    const before = await pauseRows();
    for (const id of [randomUUID(), deleted.id]) {
      expectError(await pause(id, admin), 404, 'source_not_found', `pause ${id}`);
      expectError(await resume(id, admin), 404, 'source_not_found', `resume ${id}`);
    }
    expectError(await pause('not-a-uuid', admin), 404, 'not_found');
    expect(await pauseRows()).toEqual(before);
    expect(await auditEvents('source.paused')).toHaveLength(0);
  });

  it('a recruiter may not pause or resume; a bad body is refused', async () => {
    const source = await createTestSource('http://127.0.0.1:9/');
    expectError(await pause(source.id, recruiter), 403, 'forbidden');
    expectError(await resume(source.id, recruiter), 403, 'forbidden');
    expectError(await pause(source.id, null), 401, 'unauthorized');
    expectError(await pause(source.id, admin, { reason: '' }), 422, 'validation_failed');
    expectError(await pause(source.id, admin, { reason: 'x'.repeat(501) }), 422, 'validation_failed');
    expectError(await pause(source.id, admin, { until: '2030-01-01' }), 422, 'validation_failed');
    const raw = await callRoute(pauseRoute.POST, {
      method: 'POST',
      params: { id: source.id },
      auth: admin,
      rawBody: '{"reason":',
      headers: { 'content-type': 'application/json' },
    });
    expectError(raw, 400, 'invalid_json');
    expect(await getDb().selectFrom('source_pauses').where('source_id', '=', source.id).selectAll().execute()).toEqual(
      [],
    );
    expect(await auditEvents('source.paused', source.id)).toHaveLength(0);
  });
});

describe('answers', () => {
  it('pause twice: one pause, one audit event; resume twice: the second changes nothing', async () => {
    const source = await createTestSource('http://127.0.0.1:9/');
    const first = await pause(source.id, admin, { reason: 'payroll freeze' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      source_id: source.id,
      changed: true,
      pause: { kind: 'admin', reason: 'payroll freeze', until: null, http_status: null },
    });
    const again = await pause(source.id, admin, { reason: 'another reason' });
    expect(again.status).toBe(200);
    // The pause in force stays as it was.
    expect(again.body).toMatchObject({ changed: false, pause: { kind: 'admin', reason: 'payroll freeze' } });
    expect(await auditEvents('source.paused', source.id)).toHaveLength(1);

    const shown = await callRoute(sourceRoute.GET, { params: { id: source.id }, auth: admin });
    expect(shown.body.pause).toMatchObject({ kind: 'admin', reason: 'payroll freeze', until: null });

    const resumed = await resume(source.id, admin);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ changed: true, pause: null, enqueued: 0 });
    const twice = await resume(source.id, admin);
    expect(twice.status).toBe(200);
    expect(twice.body).toMatchObject({ changed: false, pause: null, enqueued: 0 });
    expect(await auditEvents('source.resumed', source.id)).toHaveLength(1);
    expect((await callRoute(sourceRoute.GET, { params: { id: source.id }, auth: admin })).body.pause).toBeNull();
  });

  it('a pause without a body gets the default reason', async () => {
    const source = await createTestSource('http://127.0.0.1:9/');
    const res = await pause(source.id, admin);
    expect(res.status).toBe(200);
    expect(res.body.pause).toMatchObject({ kind: 'admin', reason: 'paused by an admin' });
  });

  it("resume leaves a target's Retry-After pause alone; an admin pause replaces it and resume ends both", async () => {
    const source = await createTestSource('http://127.0.0.1:9/');
    const until = new Date(Date.now() + 600_000);
    await pauseSource(getDb(), source.id, { until, reason: 'HTTP 429 with Retry-After', httpStatus: 429 });
    const untouched = await resume(source.id, admin);
    expect(untouched.body).toMatchObject({
      changed: false,
      pause: { kind: 'retry_after', until: until.toISOString(), http_status: 429 },
    });

    expect((await pause(source.id, admin)).body).toMatchObject({
      changed: true,
      pause: { kind: 'admin', until: null },
    });
    // A later Retry-After does not shorten a pause with no end.
    await pauseSource(getDb(), source.id, { until, reason: 'HTTP 503 with Retry-After', httpStatus: 503 });
    expect((await callRoute(sourceRoute.GET, { params: { id: source.id }, auth: admin })).body.pause).toMatchObject({
      kind: 'admin',
      until: null,
    });
    expect((await resume(source.id, admin)).body).toMatchObject({ changed: true, pause: null });
  });
});
