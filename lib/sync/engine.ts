import { type Transaction, sql } from 'kysely';
import pLimit from 'p-limit';
import { fromKysely, type PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import type { DB, SourceHealth } from '@/db/types';
import { getEnv } from '@/lib/env';
import { maskEmail } from '@/lib/logger';
import { emitRunsFinished, emitSourceUnhealthy } from '@/lib/webhooks/events';
import { connectorFor } from './connectors';
import type { Connector, DeliveryItem, Outcome, SourceConfig } from './connectors/types';
import { ENQUEUE_SOURCE_COLUMNS, enqueueForSources } from './enqueue';
import { claimStaleSeconds, deliverQueueName } from './jobs';
import { requestRecord } from './redact-secrets';
import { sendRequest } from '@/lib/http/outbound-client';
import { addBaseCounts, LanePool, progressTotal, settleRun } from './progress';
import { lockRun } from './repository';

export type EngineContext = { db: Database; boss: PgBoss; log: Logger; workerId: string; retryDelaySeconds: number };

// Same definition of "the content we send" for the skip check and the stored hash.
const PAYLOAD_HASH_SQL = sql<string>`md5(jsonb_build_array(
  c.first_name, c.last_name, c.email, c.phone, c.hired_at, j.slug, j.title, j.department, j.location, s.field_mapping, s.connector
)::text)`;

// Deliveries per fan-out transaction: the first is small, so sending starts within milliseconds
// of the request while the rest of a large run is still being written.
const FIRST_EXPAND_ROWS = 200;
const EXPAND_ROWS = 1000;

type ExpandStep = { inserted: number; pending: number; done: boolean };

/**
 * Fans a run out into one delivery per candidate and source, skipping candidates already delivered
 * with the same content (unless forced), and enqueues the delivery jobs. It works through the
 * candidates in id order, a chunk per transaction (run row locked, cursor saved with the chunk),
 * so the first deliveries go out while later ones are still being written, and a fan-out cut
 * short by a crash resumes where it stopped when its job runs again. The run cannot finish before
 * the last chunk is in (expanded_at); until then its total is the expected count.
 */
export async function expandRun(ctx: EngineContext, runId: string): Promise<{ total: number; pending: number } | null> {
  let total = 0;
  let pending = 0;
  for (let chunk = 0; ; chunk++) {
    const step = await expandRunChunk(ctx, runId, chunk === 0 ? FIRST_EXPAND_ROWS : EXPAND_ROWS);
    if (!step) return chunk === 0 ? null : { total, pending };
    total += step.inserted;
    pending += step.pending;
    if (step.done) break;
  }
  // Deliveries of the first chunks may all have been sent before the last chunk was in.
  await settleRun(ctx.db, ctx.boss, runId, true);
  return { total, pending };
}

/** One fan-out transaction of about `rowsWanted` deliveries; null when the run needs none. */
export function expandRunChunk(ctx: EngineContext, runId: string, rowsWanted: number): Promise<ExpandStep | null> {
  return ctx.db.transaction().execute((trx) => expandChunk(ctx, trx, runId, rowsWanted));
}

async function expandChunk(
  ctx: EngineContext,
  trx: Transaction<DB>,
  runId: string,
  rowsWanted: number,
): Promise<ExpandStep | null> {
  const run = await lockRun(trx, runId);
  if (!run || run.expanded_at || (run.status !== 'pending' && run.status !== 'running')) return null;
  let sourceQuery = trx
    .selectFrom('sources')
    .select(ENQUEUE_SOURCE_COLUMNS)
    .where('deleted_at', 'is', null)
    .where('is_active', '=', true);
  if (run.source_ids) sourceQuery = sourceQuery.where('id', 'in', run.source_ids);
  const sources = await sourceQuery.execute();
  const sourceIds = sources.map((s) => s.id);
  const candidates = () => {
    let q = trx.selectFrom('candidates').where('job_posting_id', '=', run.job_posting_id).where('stage', '=', 'hired');
    if (run.candidate_ids) q = q.where(sql<boolean>`id = any(${run.candidate_ids}::uuid[])`);
    return q;
  };

  if (run.status === 'pending') {
    if (sourceIds.length === 0) {
      await finishEmptyRun(ctx, trx, runId, 'no active source to sync to');
      return { inserted: 0, pending: 0, done: true };
    }
    const { n } = await candidates()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('sync_runs')
      .set({
        status: 'running',
        total: Number(n) * sourceIds.length,
        started_at: new Date(),
        version: sql`version + 1`,
        updated_at: new Date(),
      })
      .where('id', '=', runId)
      .execute();
  }

  const perCandidate = Math.max(1, sourceIds.length);
  const limit = Math.max(1, Math.ceil(rowsWanted / perCandidate));
  let next = candidates().select('id').orderBy('id').limit(limit);
  if (run.expand_cursor) next = next.where('id', '>', run.expand_cursor);
  const ids = (await next.execute()).map((c) => c.id);
  const done = ids.length < limit || sourceIds.length === 0;

  const rows =
    ids.length && sourceIds.length
      ? (
          await sql<{ id: string; source_id: string; status: string }>`
      insert into sync_deliveries (run_id, source_id, candidate_id, status, error_message, payload_hash, idempotency_key)
      select ${runId}::uuid, s.id, c.id, x.status,
             case when x.status = 'skipped' then 'already delivered with the same content' end,
             h.hash,
             case when ${run.force} then gen_random_uuid()::text
                  else encode(sha256(convert_to(s.id::text || ':' || c.id::text || ':' || h.hash, 'UTF8')), 'hex') end
      from candidates c
      join job_postings j on j.id = c.job_posting_id
      cross join sources s
      cross join lateral (select ${PAYLOAD_HASH_SQL} as hash) h
      left join candidate_sync_state st on st.candidate_id = c.id and st.source_id = s.id
      cross join lateral (select case when not ${run.force} and st.delivered_payload_hash = h.hash
                                      then 'skipped' else 'pending' end as status) x
      where c.id = any(${ids}::uuid[])
        and s.id = any(${sourceIds}::uuid[])
      on conflict (run_id, source_id, candidate_id) do nothing
      returning id, source_id, status
    `.execute(trx)
        ).rows
      : [];
  const pending = rows.filter((r) => r.status === 'pending');
  const perSource = new Map<string, { sourceId: string; total: number; skipped: number }>();
  for (const r of rows) {
    const c = perSource.get(r.source_id) ?? { sourceId: r.source_id, total: 0, skipped: 0 };
    c.total += 1;
    if (r.status === 'skipped') c.skipped += 1;
    perSource.set(r.source_id, c);
  }
  await addBaseCounts(trx, runId, [...perSource.values()]);
  await enqueueForSources(trx, ctx.boss, runId, pending, sources);

  if (!done) {
    await trx
      .updateTable('sync_runs')
      .set({ expand_cursor: ids[ids.length - 1], updated_at: new Date() })
      .where('id', '=', runId)
      .execute();
    return { inserted: rows.length, pending: pending.length, done };
  }
  // The last chunk: the total becomes exact, and a run with nothing to send ends here (one whose
  // deliveries were all skipped or have all been sent already is finished by settleRun).
  const { exact } = await sql<{ exact: number }>`select ${progressTotal(runId)} as exact`
    .execute(trx)
    .then((r) => r.rows[0]);
  if (exact === 0) {
    await finishEmptyRun(ctx, trx, runId, 'the posting has no hired candidates any more');
  } else {
    await trx
      .updateTable('sync_runs')
      .set({
        total: exact,
        expand_cursor: null,
        expanded_at: new Date(),
        version: sql`version + 1`,
        updated_at: new Date(),
      })
      .where('id', '=', runId)
      .execute();
  }
  return { inserted: rows.length, pending: pending.length, done };
}

async function finishEmptyRun(ctx: EngineContext, trx: Transaction<DB>, runId: string, summary: string) {
  await trx
    .updateTable('sync_runs')
    .set({
      status: 'failed',
      error_summary: summary,
      total: 0,
      started_at: sql`coalesce(started_at, now())`,
      finished_at: new Date(),
      expanded_at: new Date(),
      expand_cursor: null,
      version: sql`version + 1`,
      updated_at: new Date(),
    })
    .where('id', '=', runId)
    .execute();
  await emitRunsFinished(trx, ctx.boss, [runId]);
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
 * have given up (claimStaleSeconds). The update is atomic, so two workers never send the same
 * delivery at once.
 */
async function claim(ctx: EngineContext, source: SourceConfig, ids: string[]): Promise<ClaimedRow[]> {
  const staleSeconds = claimStaleSeconds(source.timeoutMs);
  const { rows } = await sql<ClaimedRow>`
    with claimed as (
      update sync_deliveries d
      set status = 'in_progress', attempts = d.attempts + 1, started_at = now(), locked_by = ${ctx.workerId}, updated_at = now()
      where d.id = any(${ids}::uuid[])
        -- status as CASE: found by primary key only (see ClaimedRow)
        and case d.status when 'pending' then true
                          when 'in_progress' then d.started_at < now() - make_interval(secs => ${staleSeconds})
                          else false end
        and (select r.status from sync_runs r where r.id = d.run_id) = 'running'
      returning d.id, d.run_id, d.candidate_id, d.idempotency_key, d.attempts
    )
    select claimed.*, c.first_name, c.last_name, c.email, c.phone, c.hired_at,
           j.id as job_id, j.slug, j.title, j.department, j.location
    from claimed
    join candidates c on c.id = claimed.candidate_id
    join job_postings j on j.id = c.job_posting_id
  `.execute(ctx.db);
  return rows;
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
  const startAfter = new Date(latest + (claimStaleSeconds(source.timeoutMs) + 1) * 1000);
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

type Limit = ReturnType<typeof pLimit>;
const limiters = new Map<string, Limit>();

/**
 * The source's request slots in this worker: every batch the worker holds for the source sends
 * through the same limiter, so at most max_concurrency requests are in flight to it from here.
 */
function limiterFor(ctx: EngineContext, source: SourceConfig): Limit {
  const key = `${ctx.workerId}:${source.id}`;
  let limit = limiters.get(key);
  if (!limit) {
    limit = pLimit(source.maxConcurrency);
    limiters.set(key, limit);
  } else if (limit.concurrency !== source.maxConcurrency) {
    limit.concurrency = source.maxConcurrency;
  }
  return limit;
}

const lanes = new LanePool();
// When this worker last copied a run's counters to sync_runs (for lists and statistics).
const touchedAt = new Map<string, number>();
const TOUCH_EVERY_MS = 1000;

function touchDue(runId: string): boolean {
  const now = Date.now();
  if (now - (touchedAt.get(runId) ?? 0) < TOUCH_EVERY_MS) return false;
  if (touchedAt.size > 10_000) touchedAt.clear();
  touchedAt.set(runId, now);
  return true;
}

/**
 * Sends one batch of deliveries for a source and records every outcome. Each request waits for
 * one of the source's slots; a worker holds about twice as many deliveries as slots, so while one
 * batch is being claimed or recorded another keeps the slots busy.
 */
export async function processDeliveries(
  ctx: EngineContext,
  source: SourceConfig,
  jobs: { runId: string; deliveryIds: string[] }[],
): Promise<{ sent: number }> {
  const connector = connectorFor(source.connector);
  const limit = limiterFor(ctx, source);
  // One claim for the whole batch of jobs: one round trip instead of one per job.
  const claimed = await claim(
    ctx,
    source,
    jobs.flatMap((j) => j.deliveryIds),
  );
  const claimedById = new Map(claimed.map((r) => [r.id, r]));
  const requests: Promise<Settled[]>[] = [];
  for (const job of jobs) {
    const rows = job.deliveryIds.flatMap((id) => claimedById.get(id) ?? []);
    await recheckLater(ctx, source, job.runId, job.deliveryIds, new Set(rows.map((r) => r.id)));
    const size = connector.itemsPerRequest(source);
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size);
      requests.push(limit(() => sendChunk(ctx, source, connector, chunk)));
    }
  }
  const settled = (await Promise.all(requests)).flat();
  if (settled.length > 0) await recordOutcomes(ctx, source, settled);
  return { sent: settled.length };
}

/** One request (one candidate, or a chunk for batch APIs) and what its answer means for each candidate. */
async function sendChunk(
  ctx: EngineContext,
  source: SourceConfig,
  connector: Connector,
  chunk: ClaimedRow[],
): Promise<Settled[]> {
  const items = chunk.map(toItem);
  // Built when a slot is free, so X-ATS-Timestamp is the moment of sending.
  const request = connector.buildRequest(source, items, new Date());
  const result = await sendRequest(source, request);
  const outcomes = connector.interpret(source, items, result);
  const sent = requestRecord(source, request);
  const body = items.length === 1 ? request.body : `[batch of ${items.length}]`;
  return outcomes.map((o, index) => {
    const row = chunk[index];
    const attempt = row.attempts;
    const retry = o.kind === 'retry' && attempt < source.maxAttempts;
    const status = o.kind === 'succeeded' ? 'succeeded' : retry ? 'pending' : 'failed';
    const level = o.kind === 'succeeded' ? 'debug' : 'info';
    if (ctx.log.isLevelEnabled(level)) {
      ctx.log[level](
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
    }
    return {
      ...o,
      status,
      nextAttemptAt: retry ? new Date(Date.now() + retryDelayMs(attempt, ctx.retryDelaySeconds, o.retryAfterMs)) : null,
      attempt,
      runId: row.run_id,
      candidateId: row.candidate_id,
      request: { ...sent, body },
    };
  });
}

/**
 * The delivery rows, each candidate's last known state at the source and the run's progress, in
 * one statement. Guarded by holder and attempt: a worker that lost its claim records nothing;
 * locked_by stays as the record of which worker made the last attempt. With `healthy`, the source
 * is marked healthy too when it was not, or was last confirmed more than 5 seconds ago.
 */
function recordStatement(ctx: EngineContext, source: SourceConfig, lane: string, settled: Settled[], healthy: boolean) {
  const values = settled.map(
    (s) =>
      sql`(${s.deliveryId}::uuid, ${s.attempt}::int, ${s.status}, ${s.httpStatus}::int, ${s.errorCode}, ${s.errorMessage}, ${s.responseExcerpt}, ${JSON.stringify(s.request)}::jsonb, ${s.durationMs}::int, ${s.externalId}, ${s.nextAttemptAt}::timestamptz)`,
  );
  const healthCte = healthy
    ? sql`, healthy as (
        update sources set health_status = 'healthy', health_error = null, health_checked_at = now(),
               last_success_at = now(), consecutive_failures = 0
        where id = ${source.id}
          and (health_status <> 'healthy' or consecutive_failures <> 0 or last_success_at is null
               or last_success_at < now() - interval '5 seconds')
          and exists (select 1 from upd where upd.status = 'succeeded'))`
    : sql``;
  return sql<{ id: string; run_id: string; status: string }>`
    with v (id, attempt, status, http_status, error_code, error_message, response_excerpt, request, duration_ms, external_id, next_attempt_at) as (
      values ${sql.join(values)}
    ), upd as (
      update sync_deliveries d
      set status = v.status, http_status = v.http_status, error_code = v.error_code, error_message = v.error_message,
          response_excerpt = v.response_excerpt, request_excerpt = v.request, duration_ms = v.duration_ms,
          external_id = coalesce(v.external_id, d.external_id), next_attempt_at = v.next_attempt_at,
          delivered_at = case when v.status = 'succeeded' then now() else d.delivered_at end,
          updated_at = now()
      from v
      where d.id = v.id and d.locked_by = ${ctx.workerId} and d.attempts = v.attempt
        -- status as CASE: found by primary key only (see ClaimedRow)
        and case d.status when 'in_progress' then true else false end
      returning d.id, d.run_id, d.candidate_id, d.status, d.payload_hash, v.external_id, v.error_message
    ), state as (
      insert into candidate_sync_state as st (candidate_id, source_id, last_status, last_run_id, last_delivery_id, last_error, last_attempt_at, delivered_payload_hash, delivered_at, external_id)
      select upd.candidate_id, ${source.id}::uuid, upd.status, upd.run_id, upd.id,
             case when upd.status = 'failed' then upd.error_message end, now(),
             case when upd.status = 'succeeded' then upd.payload_hash end,
             case when upd.status = 'succeeded' then now() end, upd.external_id
      from upd where upd.status in ('succeeded', 'failed')
      on conflict (candidate_id, source_id) do update set
        last_status = excluded.last_status, last_run_id = excluded.last_run_id, last_delivery_id = excluded.last_delivery_id,
        last_error = excluded.last_error, last_attempt_at = excluded.last_attempt_at,
        delivered_payload_hash = coalesce(excluded.delivered_payload_hash, st.delivered_payload_hash),
        delivered_at = coalesce(excluded.delivered_at, st.delivered_at),
        external_id = coalesce(excluded.external_id, st.external_id)
    ), progress as (
      insert into sync_run_progress as p (run_id, source_id, lane, succeeded, failed)
      select upd.run_id, ${source.id}::uuid, ${lane},
             count(*) filter (where upd.status = 'succeeded')::int, count(*) filter (where upd.status = 'failed')::int
      from upd where upd.status in ('succeeded', 'failed')
      group by upd.run_id
      on conflict (run_id, source_id, lane) do update set
        succeeded = p.succeeded + excluded.succeeded, failed = p.failed + excluded.failed
    )${healthCte}
    select upd.id, upd.run_id, upd.status from upd
  `;
}

/**
 * Records a batch's outcomes. When everything succeeded that is one autocommitted statement;
 * failures and retries take a transaction that also schedules the retries and updates the
 * source's health. Afterwards each run touched is settled (finished when its last delivery is in).
 */
async function recordOutcomes(ctx: EngineContext, source: SourceConfig, settled: Settled[]): Promise<void> {
  const lane = lanes.acquire();
  const laneKey = `${ctx.workerId}#${lane}`;
  let recorded: { id: string; run_id: string; status: string }[];
  try {
    if (settled.every((s) => s.status === 'succeeded')) {
      ({ rows: recorded } = await recordStatement(ctx, source, laneKey, settled, true).execute(ctx.db));
    } else {
      recorded = await ctx.db.transaction().execute(async (trx) => {
        const { rows } = await recordStatement(ctx, source, laneKey, settled, false).execute(trx);
        const ids = new Set(rows.map((r) => r.id));
        const mine = settled.filter((s) => ids.has(s.deliveryId));
        await scheduleRetries(trx, ctx.boss, source, mine);
        await updateSourceHealth(trx, ctx.boss, source, mine);
        return rows;
      });
    }
  } finally {
    lanes.release(lane);
  }
  const runs = new Set(recorded.filter((r) => r.status !== 'pending').map((r) => r.run_id));
  for (const runId of runs) await settleRun(ctx.db, ctx.boss, runId, touchDue(runId));
}

async function scheduleRetries(trx: Transaction<DB>, boss: PgBoss, source: SourceConfig, mine: Settled[]) {
  const retries = mine.filter((s) => s.status === 'pending');
  if (retries.length === 0) return;
  const byTime = new Map<number, Settled[]>();
  for (const r of retries) {
    const t = r.nextAttemptAt!.getTime();
    byTime.set(t, [...(byTime.get(t) ?? []), r]);
  }
  await boss.insert(
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
