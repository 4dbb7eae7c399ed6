import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as scheduleById from '@/app/api/v1/schedules/[id]/route';
import * as preview from '@/app/api/v1/schedules/preview/route';
import * as schedules from '@/app/api/v1/schedules/route';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { getLogger } from '@/lib/logger';
import { stopSender } from '@/lib/queue/sender';
import { deleteSource } from '@/lib/sources/service';
import { type TestUser, callRoute, createTestUser } from '@/test/fixtures';
import { createPostingWithHired, createTestSource, startTestSender } from '@/test/sync-harness';
import { SCHEDULE_QUEUE } from './jobs';
import { runScheduledSync } from './service';
import { listTimeZones } from './time-zones';

let admin: TestUser;
let boss: PgBoss;

beforeAll(async () => {
  admin = await createTestUser('admin');
  boss = await startTestSender();
});

afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  await stopSender();
});

let counter = 0;
const uniqueName = (base: string) => `${base} ${++counter}-${Math.random().toString(36).slice(2, 6)}`;

async function create(body: Record<string, unknown>, as: TestUser = admin) {
  return callRoute(schedules.POST, { method: 'POST', auth: { session: as }, body });
}

async function createOk(body: Record<string, unknown>) {
  const res = await create({ name: uniqueName('Nightly'), cron: '0 2 * * *', scope: 'all_open', ...body });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function bossSchedule(id: string) {
  return boss.getSchedule(SCHEDULE_QUEUE, id);
}

async function auditActions(targetId: string) {
  const rows = await getDb()
    .selectFrom('audit_events')
    .select(['action', 'actor_email', 'details'])
    .where('target_type', '=', 'schedule')
    .where('target_id', '=', targetId)
    .orderBy('id')
    .execute();
  return rows;
}

describe('schedules API: validation', () => {
  it('answers 422 on the cron field for an expression pg-boss cannot evaluate', async () => {
    const res = await create({ name: 'Bad', cron: '61 * * * *', scope: 'all_open' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toBe('cron: minute 61 is not between 0 and 59');
    expect(res.body.error.details).toEqual([{ path: 'cron', message: 'minute 61 is not between 0 and 59' }]);
    // What our check does not read is still pg-boss's to refuse, on the same field.
    const parser = await create({ name: 'Bad', cron: '0 0 1W#2 * *', scope: 'all_open' });
    expect(parser.status).toBe(422);
    expect(parser.body.error.message).toMatch(/^cron: is not a valid cron expression \(/);

    const words = await create({ name: 'Bad', cron: 'every day', scope: 'all_open' });
    expect(words.status).toBe(422);
    expect(words.body.error.details[0]).toEqual({
      path: 'cron',
      message: expect.stringMatching(/exactly 5 fields/),
    });

    // cron-parser alone would accept four fields and six (seconds); a schedule takes exactly five.
    for (const cron of ['* * * *', '*/10 * * * * *']) {
      const res = await create({ name: 'Bad', cron, scope: 'all_open' });
      expect(res.status).toBe(422);
      expect(res.body.error.details[0].path).toBe('cron');
    }
  });

  it('answers 422 on the timezone field for an unknown time zone, and stores the canonical name', async () => {
    const res = await create({ name: 'Bad tz', cron: '0 2 * * *', timezone: 'Mars/Olympus_Mons', scope: 'all_open' });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([
      { path: 'timezone', message: expect.stringMatching(/"Mars\/Olympus_Mons" is not a time zone/) },
    ]);
    const ok = await createOk({ timezone: 'utc' });
    expect(ok.timezone).toBe('UTC');
  });

  // Issue 24 (u4): the form offers current IANA names; ICU alone would store the retired ones.
  it('accepts and previews every zone the form offers, and stores current names (Asia/Kolkata, not Asia/Calcutta)', async () => {
    const zones = listTimeZones();
    expect(zones[0]).toBe('UTC');
    expect(zones).toEqual(expect.arrayContaining(['Europe/Kyiv', 'America/Nuuk', 'Africa/Asmara', 'Europe/Berlin']));
    expect(
      zones.filter((z) => ['Africa/Asmera', 'America/Godthab', 'Europe/Kiev', 'Asia/Calcutta'].includes(z)),
    ).toEqual([]);
    for (const zone of zones) {
      const res = await callRoute(preview.GET, {
        path: `/api/v1/schedules/preview?cron=${encodeURIComponent('0 2 * * *')}&tz=${encodeURIComponent(zone)}`,
        auth: { session: admin },
      });
      expect({ zone, status: res.status, timezone: res.body.timezone }).toEqual({ zone, status: 200, timezone: zone });
    }
    const legacy = await createOk({ timezone: 'Asia/Calcutta' });
    expect(legacy.timezone).toBe('Asia/Kolkata');
    expect(await bossSchedule(legacy.id)).toMatchObject({ timezone: 'Asia/Kolkata' });
    const current = await createOk({ timezone: 'Europe/Kyiv' });
    expect(current.timezone).toBe('Europe/Kyiv');
  });

  it('needs a posting for scope posting, none for all_open, and known postings and sources', async () => {
    const missing = await create({ name: 'P', cron: '0 2 * * *', scope: 'posting' });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual([{ path: 'job_slug', message: 'choose a posting' }]);
    const both = await create({ name: 'P', cron: '0 2 * * *', scope: 'all_open', job_slug: 'x' });
    expect(both.status).toBe(422);
    expect(both.body.error.details[0].path).toBe('job_slug');
    const unknownJob = await create({ name: 'P', cron: '0 2 * * *', scope: 'posting', job_slug: 'no-such-posting' });
    expect(unknownJob.status).toBe(422);
    expect(unknownJob.body.error.details).toEqual([
      { path: 'job_slug', message: 'no job posting with slug "no-such-posting"' },
    ]);
    const ghost = '00000000-0000-4000-8000-000000000000';
    const unknownSource = await create({ name: 'P', cron: '0 2 * * *', scope: 'all_open', source_ids: [ghost] });
    expect(unknownSource.status).toBe(422);
    expect(unknownSource.body.error.details).toEqual([{ path: 'source_ids', message: `unknown source ${ghost}` }]);
    const extra = await create({ name: 'P', cron: '0 2 * * *', scope: 'all_open', every: 'day' });
    expect(extra.status).toBe(422);
  });

  it('is for admins only', async () => {
    const recruiter = await createTestUser('recruiter');
    expect((await create({ name: 'R', cron: '0 2 * * *', scope: 'all_open' }, recruiter)).status).toBe(403);
    expect((await callRoute(schedules.GET, { auth: { session: recruiter } })).status).toBe(403);
    expect((await callRoute(preview.GET, { path: '/x?cron=*+*+*+*+*', auth: { session: recruiter } })).status).toBe(
      403,
    );
    expect((await callRoute(schedules.GET, {})).status).toBe(401);
  });
});

describe('GET /api/v1/schedules/preview', () => {
  it('lists the next five run times in the time zone', async () => {
    const res = await callRoute(preview.GET, {
      path: `/api/v1/schedules/preview?cron=${encodeURIComponent('0 8 * * 1-5')}&tz=America/New_York`,
      auth: { session: admin },
    });
    expect(res.status).toBe(200);
    expect(res.body.cron).toBe('0 8 * * 1-5');
    expect(res.body.timezone).toBe('America/New_York');
    expect(res.body.next_runs).toHaveLength(5);
    const local = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const times = (res.body.next_runs as string[]).map((t) => new Date(t));
    for (const t of times) {
      const text = local.format(t);
      expect(text).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 08:00$/);
      expect(t.getTime()).toBeGreaterThan(Date.now());
    }
    expect([...times].sort((a, b) => a.getTime() - b.getTime())).toEqual(times);
  });

  it('answers 422 with the reason for a bad expression or zone', async () => {
    const bad = await callRoute(preview.GET, {
      path: `/api/v1/schedules/preview?cron=${encodeURIComponent('0 25 * * *')}`,
      auth: { session: admin },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0]).toEqual({ path: 'cron', message: 'hour 25 is not between 0 and 23' });
    const zone = await callRoute(preview.GET, {
      path: `/api/v1/schedules/preview?cron=${encodeURIComponent('0 2 * * *')}&tz=Nowhere/City`,
      auth: { session: admin },
    });
    expect(zone.status).toBe(422);
    expect(zone.body.error.details[0].path).toBe('timezone');
  });
});

describe('schedules API: CRUD', () => {
  it('creates, reads, edits, disables, enables and deletes a schedule, keeping pg-boss in step', async () => {
    const posting = await createPostingWithHired(1);
    const source = await createTestSource('http://127.0.0.1:9');
    const name = uniqueName('Payroll nightly');
    const res = await create({
      name,
      cron: ' 0   2 * * * ',
      timezone: 'Europe/Berlin',
      scope: 'posting',
      job_slug: posting.slug,
      source_ids: [source.id, source.id],
      force: true,
    });
    expect(res.status).toBe(201);
    const created = res.body;
    expect(created).toMatchObject({
      name,
      cron: '0 2 * * *',
      timezone: 'Europe/Berlin',
      scope: 'posting',
      job: { id: posting.id, slug: posting.slug, title: `Posting ${posting.slug}`, status: 'open' },
      source_ids: [source.id],
      sources: [{ id: source.id, name: source.name, is_active: true, deleted: false }],
      force: true,
      is_enabled: true,
      created_by: { id: admin.id, name: admin.name },
      last_run_at: null,
      last_error: null,
      recent_runs: [],
    });
    expect(created.next_runs).toHaveLength(5);
    expect(await bossSchedule(created.id)).toMatchObject({
      name: SCHEDULE_QUEUE,
      key: created.id,
      cron: '0 2 * * *',
      timezone: 'Europe/Berlin',
      data: { scheduleId: created.id },
      options: expect.objectContaining({ missed: 'skip' }),
    });

    const list = await callRoute(schedules.GET, { auth: { session: admin } });
    expect(list.status).toBe(200);
    expect(list.body.data.find((s: { id: string }) => s.id === created.id)).toEqual(created);

    const duplicate = await create({ name: name.toUpperCase(), cron: '0 3 * * *', scope: 'all_open' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('name_taken');

    const patch = (body: Record<string, unknown>) =>
      callRoute(scheduleById.PATCH, { method: 'PATCH', auth: { session: admin }, params: { id: created.id }, body });

    const edited = await patch({ cron: '*/15 * * * *', timezone: 'UTC' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ cron: '*/15 * * * *', timezone: 'UTC', job: { slug: posting.slug } });
    expect(await bossSchedule(created.id)).toMatchObject({ cron: '*/15 * * * *', timezone: 'UTC' });
    expect((await patch({ cron: '* * 32 * *' })).status).toBe(422);

    const disabled = await patch({ is_enabled: false });
    expect(disabled.body).toMatchObject({ is_enabled: false, next_runs: [] });
    expect(await bossSchedule(created.id)).toBeNull();

    const enabled = await patch({ is_enabled: true, scope: 'all_open', source_ids: null });
    expect(enabled.body).toMatchObject({ is_enabled: true, scope: 'all_open', job: null, source_ids: null });
    expect(await bossSchedule(created.id)).toMatchObject({ cron: '*/15 * * * *' });
    expect((await patch({ scope: 'posting' })).body.error.details).toEqual([
      { path: 'job_slug', message: 'choose a posting' },
    ]);

    const got = await callRoute(scheduleById.GET, { auth: { session: admin }, params: { id: created.id } });
    expect(got.body).toEqual(enabled.body);

    const deleted = await callRoute(scheduleById.DELETE, {
      method: 'DELETE',
      auth: { session: admin },
      params: { id: created.id },
    });
    expect(deleted.body).toEqual({ id: created.id, deleted: true });
    expect(await bossSchedule(created.id)).toBeNull();
    const gone = await callRoute(scheduleById.GET, { auth: { session: admin }, params: { id: created.id } });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('schedule_not_found');

    const events = await auditActions(created.id);
    expect(events.map((e) => e.action)).toEqual([
      'schedule.created',
      'schedule.updated',
      'schedule.disabled',
      'schedule.enabled',
      'schedule.deleted',
    ]);
    expect(events.every((e) => e.actor_email === admin.email)).toBe(true);
    expect(events[0].details).toMatchObject({ name, cron: '0 2 * * *', timezone: 'Europe/Berlin', job: posting.slug });
    expect(events[1].details).toMatchObject({ changes: { cron: '*/15 * * * *', timezone: 'UTC' } });
  });

  it('creates a disabled schedule without registering it', async () => {
    const created = await createOk({ is_enabled: false });
    expect(created).toMatchObject({ is_enabled: false, next_runs: [] });
    expect(await bossSchedule(created.id)).toBeNull();
  });
});

describe('runScheduledSync', () => {
  const deps = () => ({ db: getDb(), boss, log: getLogger() });

  it('syncs every open posting with hired candidates, deduplicates postings already syncing, records the run', async () => {
    await createTestSource('http://127.0.0.1:9');
    const withHired = await createPostingWithHired(2, 1);
    const alsoHired = await createPostingWithHired(1);
    const noneHired = await createPostingWithHired(0, 3);
    const closed = await createPostingWithHired(2);
    await getDb().updateTable('job_postings').set({ status: 'closed' }).where('id', '=', closed.id).execute();
    const schedule = await createOk({ force: true });

    const first = await runScheduledSync(deps(), schedule.id);
    expect(first.status).toBe('ran');
    expect(first.errors).toEqual([]);
    const runs = await getDb()
      .selectFrom('sync_runs')
      .select(['id', 'job_posting_id', 'trigger', 'schedule_id', 'force', 'requested_by'])
      .where('schedule_id', '=', schedule.id)
      .execute();
    const synced = runs.map((r) => r.job_posting_id);
    expect(synced).toEqual(expect.arrayContaining([withHired.id, alsoHired.id]));
    expect(synced).not.toContain(noneHired.id);
    expect(synced).not.toContain(closed.id);
    expect(runs.every((r) => r.trigger === 'schedule' && r.force && r.requested_by === null)).toBe(true);
    expect(first.started.sort()).toEqual(runs.map((r) => r.id).sort());

    // No worker runs in this file, so the runs are still pending: a second occurrence joins them.
    const second = await runScheduledSync(deps(), schedule.id);
    expect(second.started).toEqual([]);
    expect(second.deduplicated.sort()).toEqual(first.started.sort());

    const row = await getDb()
      .selectFrom('sync_schedules')
      .select(['last_run_at', 'last_error'])
      .where('id', '=', schedule.id)
      .executeTakeFirstOrThrow();
    expect(row.last_run_at).toBeInstanceOf(Date);
    expect(row.last_error).toBeNull();
    const started = await getDb()
      .selectFrom('audit_events')
      .select(['actor_email', 'actor_id'])
      .where('action', '=', 'sync.started')
      .where('target_id', 'in', first.started)
      .execute();
    expect(started).toHaveLength(first.started.length);
    expect(started.every((e) => e.actor_email === 'system:scheduler' && e.actor_id === null)).toBe(true);

    const listed = await callRoute(scheduleById.GET, { auth: { session: admin }, params: { id: schedule.id } });
    expect(listed.body.recent_runs.map((r: { task_id: string }) => r.task_id).sort()).toEqual(first.started.sort());
  });

  it('skips a posting with nobody hired quietly, and records what went wrong otherwise', async () => {
    const empty = await createPostingWithHired(0, 2);
    const quiet = await createOk({ scope: 'posting', job_slug: empty.slug });
    const outcome = await runScheduledSync(deps(), quiet.id);
    expect(outcome).toMatchObject({ status: 'ran', started: [], nothing_to_sync: [empty.slug], errors: [] });

    const posting = await createPostingWithHired(1);
    const source = await createTestSource('http://127.0.0.1:9');
    const doomed = await createOk({ scope: 'posting', job_slug: posting.slug, source_ids: [source.id] });
    await deleteSource(getDb(), systemActor('test'), source.id);
    const failed = await runScheduledSync(deps(), doomed.id);
    expect(failed.errors).toEqual(['none of the chosen sources exists any more']);
    const row = await getDb()
      .selectFrom('sync_schedules')
      .select('last_error')
      .where('id', '=', doomed.id)
      .executeTakeFirstOrThrow();
    expect(row.last_error).toBe('none of the chosen sources exists any more');
  });

  it('stops a pg-boss schedule whose schedule row is gone', async () => {
    const schedule = await createOk({});
    await getDb().deleteFrom('sync_schedules').where('id', '=', schedule.id).execute();
    expect(await bossSchedule(schedule.id)).not.toBeNull();
    expect(await runScheduledSync(deps(), schedule.id)).toMatchObject({ status: 'skipped', reason: 'deleted' });
    expect(await bossSchedule(schedule.id)).toBeNull();
  });
});
