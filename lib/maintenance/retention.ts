import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { systemActor } from '@/lib/auth/actor';
import { TERMINAL_RUN_STATUSES } from '@/lib/sync/schemas';

export type RetentionPolicy = {
  /** Finished sync runs (with their deliveries) and webhook deliveries older than this are removed. */
  syncHistoryDays: number;
  auditRetentionDays: number;
  /** Runs per transaction; their deliveries go with them. */
  runBatchSize?: number;
  /** Webhook deliveries and audit events per transaction. */
  rowBatchSize?: number;
};

export type MaintenanceResult = {
  dry_run: boolean;
  sync_history_before: string;
  audit_before: string;
  runs: number;
  deliveries: number;
  webhook_deliveries: number;
  audit_events: number;
  worker_heartbeats: number;
  rate_limits: number;
};

// A worker that died without saying goodbye leaves its heartbeat row; a day later it is noise.
const STALE_HEARTBEAT_HOURS = 24;
// Longer than any rate-limit window (sign-in: 15 minutes): a row this old counts nothing any more.
const RATE_LIMIT_KEEP_HOURS = 24;

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/**
 * Deletes history past its retention: finished sync runs with their deliveries (the foreign key
 * cascades), finished webhook deliveries, audit events, stale worker heartbeats and rate-limit
 * windows long over. Works in
 * batches, each its own short transaction, so it never holds locks for long and can be stopped at
 * any point. A run that has not finished is never deleted, however old. `dryRun` only counts.
 * candidate_sync_state keeps pointing at deleted runs (no foreign key): it stays the record of
 * each candidate's last outcome.
 */
export async function runMaintenance(
  db: Database,
  policy: RetentionPolicy,
  options: { dryRun?: boolean; now?: Date; log?: Logger } = {},
): Promise<MaintenanceResult> {
  const now = options.now ?? new Date();
  const historyBefore = daysBefore(now, policy.syncHistoryDays);
  const auditBefore = daysBefore(now, policy.auditRetentionDays);
  const heartbeatBefore = new Date(now.getTime() - STALE_HEARTBEAT_HOURS * 3_600_000);
  const rateLimitBefore = new Date(now.getTime() - RATE_LIMIT_KEEP_HOURS * 3_600_000);
  const runBatch = policy.runBatchSize ?? 1000;
  const rowBatch = policy.rowBatchSize ?? 10_000;
  const result: MaintenanceResult = {
    dry_run: !!options.dryRun,
    sync_history_before: historyBefore.toISOString(),
    audit_before: auditBefore.toISOString(),
    runs: 0,
    deliveries: 0,
    webhook_deliveries: 0,
    audit_events: 0,
    worker_heartbeats: 0,
    rate_limits: 0,
  };

  if (options.dryRun) {
    const { rows } = await sql<Omit<MaintenanceResult, 'dry_run' | 'sync_history_before' | 'audit_before'>>`
      select
        (select count(*) from sync_runs where status = any(${TERMINAL_RUN_STATUSES}::text[]) and finished_at < ${historyBefore})::int as runs,
        (select count(*) from sync_deliveries d join sync_runs r on r.id = d.run_id
          where r.status = any(${TERMINAL_RUN_STATUSES}::text[]) and r.finished_at < ${historyBefore})::int as deliveries,
        (select count(*) from webhook_deliveries where finished_at is not null and created_at < ${historyBefore})::int as webhook_deliveries,
        (select count(*) from audit_events where created_at < ${auditBefore})::int as audit_events,
        (select count(*) from worker_heartbeats where last_seen < ${heartbeatBefore})::int as worker_heartbeats,
        (select count(*) from rate_limits where window_start < ${rateLimitBefore})::int as rate_limits
    `.execute(db);
    return { ...result, ...rows[0] };
  }

  for (;;) {
    // Status and age are checked again on the deleted row itself, so a run restarted (retry
    // failed) meanwhile is left alone. Deliveries go by the foreign key's cascade; counted from
    // the statement's snapshot, which still shows them.
    const { rows } = await sql<{ runs: number; deliveries: number }>`
      with gone as (
        delete from sync_runs r
        where r.id in (
            select id from sync_runs
            where status = any(${TERMINAL_RUN_STATUSES}::text[]) and finished_at < ${historyBefore}
            order by finished_at
            limit ${runBatch}
          )
          and r.status = any(${TERMINAL_RUN_STATUSES}::text[]) and r.finished_at < ${historyBefore}
        returning r.id
      )
      select (select count(*) from gone)::int as runs,
             (select count(*) from sync_deliveries d where d.run_id in (select id from gone))::int as deliveries
    `.execute(db);
    result.runs += rows[0].runs;
    result.deliveries += rows[0].deliveries;
    if (rows[0].runs < runBatch) break;
  }

  result.webhook_deliveries = await deleteInBatches(
    db,
    rowBatch,
    (limit) => sql<{ n: number }>`
      with gone as (
        delete from webhook_deliveries where id in (
          select id from webhook_deliveries where finished_at is not null and created_at < ${historyBefore} limit ${limit}
        ) returning 1
      ) select count(*)::int as n from gone`,
  );
  result.audit_events = await deleteInBatches(
    db,
    rowBatch,
    (limit) => sql<{ n: number }>`
      with gone as (
        delete from audit_events where id in (
          select id from audit_events where created_at < ${auditBefore} order by created_at limit ${limit}
        ) returning 1
      ) select count(*)::int as n from gone`,
  );
  const heartbeats = await db
    .deleteFrom('worker_heartbeats')
    .where('last_seen', '<', heartbeatBefore)
    .executeTakeFirst();
  result.worker_heartbeats = Number(heartbeats.numDeletedRows);
  const rateLimits = await db.deleteFrom('rate_limits').where('window_start', '<', rateLimitBefore).executeTakeFirst();
  result.rate_limits = Number(rateLimits.numDeletedRows);

  const removed =
    result.runs + result.webhook_deliveries + result.audit_events + result.worker_heartbeats + result.rate_limits;
  options.log?.info(result, removed > 0 ? 'maintenance removed expired history' : 'maintenance: nothing to remove');
  if (removed > 0) {
    await recordAuditEvent(db, {
      actor: systemActor('maintenance'),
      action: 'maintenance.completed',
      details: { ...result },
    });
  }
  return result;
}

async function deleteInBatches(
  db: Database,
  batch: number,
  statement: (limit: number) => ReturnType<typeof sql<{ n: number }>>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await statement(batch).execute(db);
    total += rows[0].n;
    if (rows[0].n < batch) return total;
  }
}
