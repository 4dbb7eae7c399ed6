import { type Transaction, sql } from 'kysely';
import { fromKysely, type PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import type { DB, SourceHealth } from '@/db/types';
import { getEnv } from '@/lib/env';
import { maskEmail, redactSecrets } from '@/lib/logger';
import { emitRunsFinished, emitSourceUnhealthy } from '@/lib/webhooks/events';
import { connectorFor } from './connectors';
import type { DeliveryItem, Outcome, SourceConfig } from './connectors/types';
import { enqueueDeliveries } from './enqueue';
import { deliverQueueName } from './jobs';
import { redactSourceSecrets } from './payload';
import { sendRequest } from './http-client';
import { lockRun } from './repository';

export type EngineContext = { db: Database; boss: PgBoss; log: Logger; workerId: string; retryDelaySeconds: number };

// Same definition of "the content we send" for the skip check and the stored hash.
const PAYLOAD_HASH_SQL = sql<string>`md5(jsonb_build_array(
  c.first_name, c.last_name, c.email, c.phone, c.hired_at, j.slug, j.title, j.department, j.location, s.field_mapping, s.connector
)::text)`;

/**
 * Fans a run out into one delivery per candidate and source, skipping candidates already delivered
 * with the same content (unless forced), then enqueues the delivery jobs, all in one transaction.
 */
export async function expandRun(ctx: EngineContext, runId: string): Promise<{ total: number; pending: number } | null> {
  return ctx.db.transaction().execute(async (trx) => {
    const run = await lockRun(trx, runId);
    if (run?.status !== 'pending') return null;
    let sources = trx
      .selectFrom('sources')
      .select(['id'])
      .where('deleted_at', 'is', null)
      .where('is_active', '=', true);
    if (run.source_ids) sources = sources.where('id', 'in', run.source_ids);
    const sourceIds = (await sources.execute()).map((s) => s.id);
    if (sourceIds.length === 0) {
      await trx
        .updateTable('sync_runs')
        .set({
          status: 'failed',
          error_summary: 'no active source to sync to',
          started_at: new Date(),
          finished_at: new Date(),
          version: sql`version + 1`,
          updated_at: new Date(),
        })
        .where('id', '=', runId)
        .execute();
      await emitRunsFinished(trx, ctx.boss, [runId]);
      return { total: 0, pending: 0 };
    }
    const inserted = await sql<{ id: string; source_id: string; status: string }>`
      insert into sync_deliveries (run_id, source_id, candidate_id, status, payload_hash, idempotency_key)
      select ${runId}::uuid, s.id, c.id,
             case when not ${run.force} and st.delivered_payload_hash = h.hash then 'skipped' else 'pending' end,
             h.hash,
             case when ${run.force} then gen_random_uuid()::text
                  else encode(sha256(convert_to(s.id::text || ':' || c.id::text || ':' || h.hash, 'UTF8')), 'hex') end
      from candidates c
      join job_postings j on j.id = c.job_posting_id
      cross join sources s
      cross join lateral (select ${PAYLOAD_HASH_SQL} as hash) h
      left join candidate_sync_state st on st.candidate_id = c.id and st.source_id = s.id
      where c.job_posting_id = ${run.job_posting_id}
        and c.stage = 'hired'
        and s.id = any(${sourceIds}::uuid[])
        ${run.candidate_ids ? sql`and c.id = any(${run.candidate_ids}::uuid[])` : sql``}
      on conflict (run_id, source_id, candidate_id) do nothing
      returning id, source_id, status
    `.execute(trx);
    const rows = inserted.rows;
    const pending = rows.filter((r) => r.status === 'pending');
    const skipped = rows.length - pending.length;
    const done = pending.length === 0;
    await trx
      .updateTable('sync_runs')
      .set({
        status: done ? (rows.length === 0 ? 'failed' : 'completed') : 'running',
        error_summary: rows.length === 0 ? 'the posting has no hired candidates any more' : null,
        total: rows.length,
        skipped,
        started_at: new Date(),
        finished_at: done ? new Date() : null,
        version: sql`version + 1`,
        updated_at: new Date(),
      })
      .where('id', '=', runId)
      .execute();
    if (skipped > 0) {
      await trx
        .updateTable('sync_deliveries')
        .set({ error_message: 'already delivered with the same content' })
        .where('run_id', '=', runId)
        .where('status', '=', 'skipped')
        .execute();
    }
    await enqueueDeliveries(trx, ctx.boss, runId, pending);
    if (done) await emitRunsFinished(trx, ctx.boss, [runId]);
    return { total: rows.length, pending: pending.length };
  });
}

/**
 * Recording a delivery does not wait for the WAL flush. If PostgreSQL crashes in the few hundred
 * milliseconds before the flush, the delivery is simply claimed and sent again with the same
 * Idempotency-Key, which receivers deduplicate; counters and state live in the same lost
 * transaction, so nothing becomes inconsistent. It takes the disk flush off the run row's lock.
 */
async function relaxDurability(trx: Transaction<DB>): Promise<void> {
  await sql`set local synchronous_commit = off`.execute(trx);
}

type ClaimedRow = {
  id: string;
  run_id: string;
  candidate_id: string;
  idempotency_key: string;
  attempts: number;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  hired_at: Date | null;
  job_id: string;
  slug: string;
  title: string;
  department: string | null;
  location: string | null;
};

/**
 * Claims deliveries for this worker: pending ones, and in-progress ones whose previous holder must
 * have given up (its request would have timed out long ago). The update is atomic, so two workers
 * never send the same delivery at once.
 */
async function claim(ctx: EngineContext, source: SourceConfig, ids: string[]): Promise<ClaimedRow[]> {
  const staleSeconds = Math.ceil(source.timeoutMs / 1000) + 10;
  return ctx.db.transaction().execute(async (trx) => {
    await relaxDurability(trx);
    const { rows } = await sql<ClaimedRow>`
    with claimed as (
      update sync_deliveries d
      set status = 'in_progress', attempts = d.attempts + 1, started_at = now(), locked_by = ${ctx.workerId}, updated_at = now()
      from sync_runs r
      where d.id = any(${ids}::uuid[])
        and r.id = d.run_id and r.status = 'running'
        and (d.status = 'pending'
             or (d.status = 'in_progress' and d.started_at < now() - make_interval(secs => ${staleSeconds})))
      returning d.id, d.run_id, d.candidate_id, d.idempotency_key, d.attempts
    )
    select claimed.*, c.first_name, c.last_name, c.email, c.phone, c.hired_at,
           j.id as job_id, j.slug, j.title, j.department, j.location
    from claimed
    join candidates c on c.id = claimed.candidate_id
    join job_postings j on j.id = c.job_posting_id
  `.execute(trx);
    return rows;
  });
}

/** Deliveries still held by another worker come back to us when that worker's claim goes stale. */
async function recheckLater(
  ctx: EngineContext,
  source: SourceConfig,
  runId: string,
  ids: string[],
  claimedIds: Set<string>,
): Promise<void> {
  const rest = ids.filter((id) => !claimedIds.has(id));
  if (rest.length === 0) return;
  const held = await ctx.db
    .selectFrom('sync_deliveries')
    .select(['id', 'started_at'])
    .where('id', 'in', rest)
    .where('status', '=', 'in_progress')
    .execute();
  if (held.length === 0) return;
  const latest = Math.max(...held.map((h) => h.started_at?.getTime() ?? Date.now()));
  const startAfter = new Date(latest + source.timeoutMs + 11_000);
  await ctx.boss.insert(deliverQueueName(source.id), [
    { data: { runId, sourceId: source.id, deliveryIds: held.map((h) => h.id) }, startAfter },
  ]);
}

function toItem(row: ClaimedRow): DeliveryItem {
  return {
    deliveryId: row.id,
    idempotencyKey: row.idempotency_key,
    attempt: row.attempts,
    candidate: {
      id: row.candidate_id,
      first_name: row.first_name,
      last_name: row.last_name,
      email: row.email,
      phone: row.phone,
      hired_at: row.hired_at ? new Date(row.hired_at).toISOString() : null,
    },
    job: { id: row.job_id, slug: row.slug, title: row.title, department: row.department, location: row.location },
  };
}

/** Backoff for attempt n (1-based): base × 2^(n-1), with jitter; Retry-After is honoured as given. */
export function retryDelayMs(attempt: number, baseSeconds: number, retryAfterMs: number | null): number {
  if (retryAfterMs !== null) return retryAfterMs + Math.floor(Math.random() * 250);
  const base = Math.max(baseSeconds, 0.2) * 1000 * 2 ** (attempt - 1);
  return Math.round(Math.min(base, 300_000) * (0.75 + Math.random() * 0.5));
}

type Settled = Outcome & {
  status: 'succeeded' | 'failed' | 'pending';
  nextAttemptAt: Date | null;
  attempt: number;
  runId: string;
  candidateId: string;
  request: unknown;
};

/**
 * Sends one batch of deliveries for a source and records every outcome: the delivery rows, the
 * run's counters (finishing the run when its last delivery settles), each candidate's last known
 * state at the source, the source's health and any retries, in one transaction.
 */
export async function processDeliveries(
  ctx: EngineContext,
  source: SourceConfig,
  jobs: { runId: string; deliveryIds: string[] }[],
): Promise<{ sent: number }> {
  const connector = connectorFor(source.connector);
  const settled: Settled[] = [];
  const requests: Promise<void>[] = [];
  const now = new Date();
  // One claim for the whole batch of jobs: one round trip and one commit instead of one per job.
  const claimed = await claim(
    ctx,
    source,
    jobs.flatMap((j) => j.deliveryIds),
  );
  const claimedById = new Map(claimed.map((r) => [r.id, r]));
  for (const job of jobs) {
    const rows = job.deliveryIds.flatMap((id) => claimedById.get(id) ?? []);
    await recheckLater(ctx, source, job.runId, job.deliveryIds, new Set(rows.map((r) => r.id)));
    const size = connector.itemsPerRequest(source);
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size);
      const items = chunk.map(toItem);
      const request = connector.buildRequest(source, items, now);
      requests.push(
        sendRequest(source, request).then((result) => {
          const outcomes = connector.interpret(source, items, result);
          // What was sent, for the task detail page: credentials out, by header name and by value.
          const requestRecord = JSON.parse(
            redactSourceSecrets(
              source,
              JSON.stringify(redactSecrets({ method: request.method, url: request.url, headers: request.headers })),
            ),
          ) as Record<string, unknown>;
          outcomes.forEach((o, index) => {
            const row = chunk[index];
            const attempt = row.attempts;
            const retry = o.kind === 'retry' && attempt < source.maxAttempts;
            settled.push({
              ...o,
              status: o.kind === 'succeeded' ? 'succeeded' : retry ? 'pending' : 'failed',
              nextAttemptAt: retry
                ? new Date(Date.now() + retryDelayMs(attempt, ctx.retryDelaySeconds, o.retryAfterMs))
                : null,
              attempt,
              runId: row.run_id,
              candidateId: row.candidate_id,
              request: { ...requestRecord, body: items.length === 1 ? request.body : `[batch of ${items.length}]` },
            });
            ctx.log[o.kind === 'succeeded' ? 'debug' : 'info'](
              {
                runId: row.run_id,
                deliveryId: row.id,
                sourceId: source.id,
                candidate: maskEmail(row.email),
                attempt,
                outcome: o.kind,
                httpStatus: o.httpStatus,
                errorCode: o.errorCode,
                ms: o.durationMs,
              },
              `delivery ${o.kind === 'succeeded' ? 'succeeded' : retry ? 'will be retried' : 'failed'}`,
            );
          });
        }),
      );
    }
  }
  await Promise.all(requests);
  if (settled.length > 0) await recordOutcomes(ctx, source, settled);
  return { sent: settled.length };
}

async function recordOutcomes(ctx: EngineContext, source: SourceConfig, settled: Settled[]): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await relaxDurability(trx);
    const values = settled.map(
      (s) =>
        sql`(${s.deliveryId}::uuid, ${s.attempt}::int, ${s.status}, ${s.httpStatus}::int, ${s.errorCode}, ${s.errorMessage}, ${s.responseExcerpt}, ${JSON.stringify(s.request)}::jsonb, ${s.durationMs}::int, ${s.externalId}, ${s.nextAttemptAt}::timestamptz)`,
    );
    // Guarded by holder and attempt: a worker that lost its claim records nothing. locked_by stays
    // as the record of which worker made the last attempt.
    const { rows } = await sql<{ id: string; run_id: string; status: string; candidate_id: string }>`
      update sync_deliveries d
      set status = v.status, http_status = v.http_status, error_code = v.error_code, error_message = v.error_message,
          response_excerpt = v.response_excerpt, request_excerpt = v.request, duration_ms = v.duration_ms,
          external_id = coalesce(v.external_id, d.external_id), next_attempt_at = v.next_attempt_at,
          delivered_at = case when v.status = 'succeeded' then now() else d.delivered_at end,
          updated_at = now()
      from (values ${sql.join(values)}) as v(id, attempt, status, http_status, error_code, error_message, response_excerpt, request, duration_ms, external_id, next_attempt_at)
      where d.id = v.id and d.status = 'in_progress' and d.locked_by = ${ctx.workerId} and d.attempts = v.attempt
      returning d.id, d.run_id, d.status, d.candidate_id
    `.execute(trx);
    const recorded = new Set(rows.map((r) => r.id));
    const mine = settled.filter((s) => recorded.has(s.deliveryId));
    if (mine.length === 0) return;

    const terminal = mine.filter((s) => s.status !== 'pending');
    if (terminal.length) {
      const stateValues = terminal.map(
        (s) =>
          sql`(${s.candidateId}::uuid, ${source.id}::uuid, ${s.status}, ${s.runId}::uuid, ${s.deliveryId}::uuid, ${s.status === 'failed' ? s.errorMessage : null}, ${s.status === 'succeeded'}::boolean, ${s.externalId})`,
      );
      await sql`
        insert into candidate_sync_state (candidate_id, source_id, last_status, last_run_id, last_delivery_id, last_error, last_attempt_at, delivered_payload_hash, delivered_at, external_id)
        select v.candidate_id, v.source_id, v.status, v.run_id, v.delivery_id, v.error, now(),
               case when v.ok then d.payload_hash end, case when v.ok then now() end, v.external_id
        from (values ${sql.join(stateValues)}) as v(candidate_id, source_id, status, run_id, delivery_id, error, ok, external_id)
        join sync_deliveries d on d.id = v.delivery_id
        on conflict (candidate_id, source_id) do update set
          last_status = excluded.last_status, last_run_id = excluded.last_run_id, last_delivery_id = excluded.last_delivery_id,
          last_error = excluded.last_error, last_attempt_at = excluded.last_attempt_at,
          delivered_payload_hash = coalesce(excluded.delivered_payload_hash, candidate_sync_state.delivered_payload_hash),
          delivered_at = coalesce(excluded.delivered_at, candidate_sync_state.delivered_at),
          external_id = coalesce(excluded.external_id, candidate_sync_state.external_id)
      `.execute(trx);
    }

    const retries = mine.filter((s) => s.status === 'pending');
    if (retries.length) {
      const byTime = new Map<number, Settled[]>();
      for (const r of retries) {
        const t = r.nextAttemptAt!.getTime();
        byTime.set(t, [...(byTime.get(t) ?? []), r]);
      }
      await ctx.boss.insert(
        deliverQueueName(source.id),
        [...byTime.entries()].flatMap(([t, group]) =>
          groupByRun(group).map(([runId, ids]) => ({
            data: { runId, sourceId: source.id, deliveryIds: ids },
            startAfter: new Date(t),
          })),
        ),
        { db: fromKysely(trx) },
      );
    }
    await updateSourceHealth(trx, ctx.boss, source, mine);

    // The run row is the one every batch of the run updates: touch it last, so its lock is held
    // only for the commit.
    const perRun = new Map<string, { succeeded: number; failed: number }>();
    for (const s of mine) {
      if (s.status === 'pending') continue;
      const c = perRun.get(s.runId) ?? { succeeded: 0, failed: 0 };
      c[s.status] += 1;
      perRun.set(s.runId, c);
    }
    // The previous status, read under the row lock, tells which runs this statement finished.
    const finishedRuns: string[] = [];
    for (const [runId, c] of perRun) {
      const { rows: updated } = await sql<{ previous: string; status: string }>`
        with prev as (select status as previous from sync_runs where id = ${runId} for no key update)
        update sync_runs set
          succeeded = succeeded + ${c.succeeded}, failed = failed + ${c.failed},
          version = version + 1, updated_at = now(),
          status = case when status = 'running' and succeeded + ${c.succeeded} + failed + ${c.failed} + skipped + cancelled >= total
                        then (case when failed + ${c.failed} = 0 then 'completed'
                                   when succeeded + ${c.succeeded} + skipped = 0 then 'failed'
                                   else 'partially_failed' end)
                        else status end,
          finished_at = case when status = 'running' and succeeded + ${c.succeeded} + failed + ${c.failed} + skipped + cancelled >= total
                             then now() else finished_at end
        from prev
        where id = ${runId}
        returning prev.previous, sync_runs.status
      `.execute(trx);
      if (updated[0]?.previous === 'running' && updated[0].status !== 'running') finishedRuns.push(runId);
    }
    await emitRunsFinished(trx, ctx.boss, finishedRuns);
    // Retries leave the counters alone but the poller should still see the new attempt.
    const retryRuns = [...new Set(mine.filter((s) => s.status === 'pending').map((s) => s.runId))].filter(
      (r) => !perRun.has(r),
    );
    if (retryRuns.length) {
      await trx
        .updateTable('sync_runs')
        .set({ version: sql`version + 1`, updated_at: new Date() })
        .where('id', 'in', retryRuns)
        .execute();
    }
  });
}

function groupByRun(items: Settled[]): [string, string[]][] {
  const map = new Map<string, string[]>();
  for (const i of items) map.set(i.runId, [...(map.get(i.runId) ?? []), i.deliveryId]);
  return [...map.entries()];
}

/**
 * SOURCE_UNHEALTHY_AFTER consecutive failed attempts make a source degraded (or unreachable);
 * 401/403 make it auth_failed. The turn from healthy or unknown to one of those is announced once.
 */
async function updateSourceHealth(
  trx: Transaction<DB>,
  boss: PgBoss,
  source: SourceConfig,
  outcomes: Settled[],
): Promise<void> {
  const ok = outcomes.some((o) => o.kind === 'succeeded');
  const authFailed = outcomes.find((o) => o.errorCode === 'auth_failed');
  const failures = outcomes.filter((o) => o.kind !== 'succeeded');
  if (ok && !authFailed) {
    await trx
      .updateTable('sources')
      .set({
        health_status: 'healthy',
        health_error: null,
        health_checked_at: new Date(),
        last_success_at: new Date(),
        consecutive_failures: 0,
      })
      .where('id', '=', source.id)
      // Healthy and recently confirmed: leave the row alone rather than queue on its lock every batch.
      .where((eb) =>
        eb.or([
          eb('health_status', '!=', 'healthy'),
          eb('consecutive_failures', '!=', 0),
          eb('last_success_at', 'is', null),
          eb('last_success_at', '<', sql<Date>`now() - interval '5 seconds'`),
        ]),
      )
      .execute();
    return;
  }
  if (failures.length === 0) return;
  const last = failures[failures.length - 1];
  const network = failures.every((f) => f.httpStatus === null);
  const status: SourceHealth = authFailed ? 'auth_failed' : network ? 'unreachable' : 'degraded';
  const { rows } = await sql<{
    previous: SourceHealth;
    name: string;
    health_status: SourceHealth;
    health_error: string | null;
    consecutive_failures: number;
  }>`
    -- NO KEY UPDATE, not UPDATE: the candidate_sync_state rows this transaction inserted hold KEY
    -- SHARE locks on this source (their foreign key), and so may a concurrent batch's; FOR UPDATE
    -- would conflict with those and deadlock two batches of the same source.
    with prev as (select health_status as previous from sources where id = ${source.id} for no key update)
    update sources set
      consecutive_failures = consecutive_failures + ${failures.length},
      health_checked_at = now(),
      health_error = ${last.errorMessage},
      health_status = case when ${!!authFailed} or consecutive_failures + ${failures.length} >= ${getEnv().SOURCE_UNHEALTHY_AFTER} then ${status} else health_status end
    from prev
    where id = ${source.id}
    returning prev.previous, sources.name, sources.health_status, sources.health_error, sources.consecutive_failures
  `.execute(trx);
  const { previous, ...current } = rows[0] ?? {};
  if ((previous === 'healthy' || previous === 'unknown') && current.health_status !== previous) {
    await emitSourceUnhealthy(trx, boss, { id: source.id, ...current });
  }
}
