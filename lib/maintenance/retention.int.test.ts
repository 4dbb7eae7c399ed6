import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncRunStatus } from '@/db/types';
import { runCli } from '@/lib/cli/run-cli';
import { getDb } from '@/lib/db';
import { getSyncState } from '@/lib/sync/get-sync-state';
import { createWebhook } from '@/lib/webhooks/service';
import { systemActor } from '@/lib/auth/actor';
import { type TestWorker, createPostingWithHired, createTestSource, startTestWorker } from '@/test/sync-harness';
import { maintenanceQueue } from '@/lib/queue/queues';
import { runMaintenance } from './retention';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const policy = { syncHistoryDays: 90, auditRetentionDays: 365 };

let posting: Awaited<ReturnType<typeof createPostingWithHired>>;
let sourceId: string;
const runs: Record<string, string> = {};

async function insertRun(name: string, status: SyncRunStatus, createdDaysAgo: number, finishedDaysAgo: number | null) {
  const db = getDb();
  const run = await db
    .insertInto('sync_runs')
    .values({
      job_posting_id: posting.id,
      trigger: 'schedule',
      requested_by: null,
      source_ids: null,
      status,
      total: 3,
      created_at: ago(createdDaysAgo),
      finished_at: finishedDaysAgo === null ? null : ago(finishedDaysAgo),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('sync_deliveries')
    .values(
      posting.candidateIds.map((candidateId, i) => ({
        run_id: run.id,
        source_id: sourceId,
        candidate_id: candidateId,
        status: status === 'running' ? ('pending' as const) : ('succeeded' as const),
        payload_hash: 'h',
        idempotency_key: `${name}-${i}`,
      })),
    )
    .execute();
  runs[name] = run.id;
}

async function count(table: 'sync_runs' | 'sync_deliveries' | 'audit_events' | 'webhook_deliveries') {
  const row = await getDb()
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

function output() {
  const lines: string[] = [];
  return { lines, out: (l: string) => lines.push(l), err: (l: string) => lines.push(`ERR ${l}`) };
}

beforeAll(async () => {
  const db = getDb();
  posting = await createPostingWithHired(3);
  sourceId = (await createTestSource('http://127.0.0.1:9')).id;
  await insertRun('oldCompleted', 'completed', 120, 120);
  await insertRun('oldFailed', 'failed', 95, 91);
  await insertRun('oldCancelled', 'cancelled', 100, 100);
  // Created long ago but never finished (a stuck or very long run): never deleted.
  await insertRun('oldRunning', 'running', 200, null);
  await insertRun('recent', 'completed', 10, 10);
  // Finished 89 days ago: one day left.
  await insertRun('edge', 'partially_failed', 89, 89);
  // The Hired Candidates page's record of each candidate's last outcome points at an old run.
  await db
    .insertInto('candidate_sync_state')
    .values({
      candidate_id: posting.candidateIds[0],
      source_id: sourceId,
      last_status: 'succeeded',
      last_run_id: runs.oldCompleted,
      last_delivery_id: null,
      last_error: null,
      last_attempt_at: ago(120),
      delivered_payload_hash: 'h',
      delivered_at: ago(120),
    })
    .execute();

  await db.deleteFrom('audit_events').execute();
  await db
    .insertInto('audit_events')
    .values([
      { action: 'test.old', details: '{}', created_at: ago(400) },
      { action: 'test.old', details: '{}', created_at: ago(366) },
      { action: 'test.recent', details: '{}', created_at: ago(364) },
    ])
    .execute();

  const endpoint = await createWebhook(db, systemActor('test'), {
    name: 'retention',
    url: 'http://127.0.0.1:9/hook',
    events: ['sync.completed'],
  });
  const hook = (days: number, finished: boolean) => ({
    endpoint_id: endpoint.id,
    event_id: crypto.randomUUID(),
    event_type: 'sync.completed',
    body: '{}',
    status: finished ? ('succeeded' as const) : ('retrying' as const),
    created_at: ago(days),
    finished_at: finished ? ago(days) : null,
  });
  await db
    .insertInto('webhook_deliveries')
    .values([hook(100, true), hook(100, false), hook(5, true)])
    .execute();
  await db
    .insertInto('worker_heartbeats')
    .values([
      { id: 'dead', host: 'h', pid: 1, concurrency: 1, started_at: ago(3), last_seen: ago(2) },
      { id: 'alive', host: 'h', pid: 2, concurrency: 1, started_at: ago(1), last_seen: new Date() },
    ])
    .execute();
});

describe('retention', () => {
  it('maintenance --dry-run counts what would go and removes nothing', async () => {
    const before = await Promise.all([count('sync_runs'), count('sync_deliveries'), count('audit_events')]);
    const out = output();
    expect(await runCli(['maintenance', '--dry-run'], { db: getDb, output: out })).toBe(0);
    expect(out.lines).toContain('would remove:');
    expect(out.lines.join('\n')).toMatch(
      /sync runs: +3\n {2}sync deliveries: +9\n {2}webhook deliveries: +1\n {2}audit events: +2\n {2}stale worker heartbeats: +1/,
    );
    expect(await Promise.all([count('sync_runs'), count('sync_deliveries'), count('audit_events')])).toEqual(before);
  });

  it('deletes finished runs past SYNC_HISTORY_DAYS with their deliveries, in batches, and nothing else', async () => {
    const result = await runMaintenance(getDb(), { ...policy, runBatchSize: 2, rowBatchSize: 1 });
    expect(result).toMatchObject({
      dry_run: false,
      runs: 3,
      deliveries: 9,
      webhook_deliveries: 1,
      audit_events: 2,
      worker_heartbeats: 1,
    });

    const db = getDb();
    const left = await db.selectFrom('sync_runs').select('id').where('job_posting_id', '=', posting.id).execute();
    expect(left.map((r) => r.id).sort()).toEqual([runs.oldRunning, runs.recent, runs.edge].sort());
    const deliveries = await db.selectFrom('sync_deliveries').select('run_id').execute();
    expect(new Set(deliveries.map((d) => d.run_id))).toEqual(new Set([runs.oldRunning, runs.recent, runs.edge]));
    expect(deliveries).toHaveLength(9);
    expect(
      (await db.selectFrom('audit_events').select('action').where('action', 'like', 'test.%').execute()).map(
        (a) => a.action,
      ),
    ).toEqual(['test.recent']);
    const hooks = await db.selectFrom('webhook_deliveries').select(['status']).orderBy('status').execute();
    expect(hooks.map((h) => h.status)).toEqual(['retrying', 'succeeded']);
    const beats = await db.selectFrom('worker_heartbeats').select('id').execute();
    expect(beats.map((b) => b.id)).toEqual(['alive']);

    // The run is gone; the candidate's last known state stays and the page still reads it.
    const state = await getSyncState(db, systemActor('test'), posting.slug, {});
    const first = state.candidates.find((c) => c.candidate_id === posting.candidateIds[0]);
    expect(first?.sources).toMatchObject([{ source_id: sourceId, last_status: 'succeeded' }]);
    const kept = await db.selectFrom('candidate_sync_state').select('last_run_id').execute();
    expect(kept.map((k) => k.last_run_id)).toEqual([runs.oldCompleted]);

    const audit = await db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'maintenance.completed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ runs: 3, deliveries: 9 });
  });

  it('npm run cli -- maintenance prints what it removed', async () => {
    const out = output();
    expect(await runCli(['maintenance'], { db: getDb, output: out })).toBe(0);
    expect(out.lines).toContain('removed:');
    expect(out.lines.join('\n')).toMatch(/sync runs: +0/);
    const bad = output();
    expect(await runCli(['maintenance', '--force'], { db: getDb, output: bad })).toBe(2);
    expect(bad.lines[0]).toMatch(/ERR error: Unknown option '--force'/);
  });
});

describe('the scheduled maintenance job', () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startTestWorker();
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it('is registered with pg-boss daily at 03:00 UTC, skipping missed runs', async () => {
    const schedule = await worker.boss.getSchedule(maintenanceQueue.name);
    expect(schedule).toMatchObject({
      name: maintenanceQueue.name,
      cron: '0 3 * * *',
      timezone: 'UTC',
      options: { missed: 'skip' },
    });
  });
});
