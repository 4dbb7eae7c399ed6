import { type Transaction, sql } from 'kysely';
import type { DB, SyncRun } from '@/db/types';
import { ENQUEUE_SOURCE_COLUMNS, type EnqueueSource } from './enqueue';
import { progressTotal } from './progress';

type Trx = Transaction<DB>;

// Same definition of "the content we send" for the skip check and the stored hash. A source's own
// target mapping shapes what it is sent too; appended only when set, so the hash of a source on
// its connector's default mapping stays what it was (nothing re-sent on upgrade). start_date and
// employment_type joined in migration 023, which re-hashed the rows still up to date. Written as
// two arrays rather than one array concatenated with `[]` or `[target_mapping]` (as migration 023
// froze it): the same text, so the same hash, without building the array a second time (half the
// hash's cost; the equality is tested in fan-out-repository.int.test.ts).
const HASHED_CONTENT = sql`c.first_name, c.last_name, c.email, c.phone, c.hired_at, j.slug, j.title, j.department, j.location,
  s.field_mapping, s.connector, c.start_date, j.employment_type`;
export const PAYLOAD_HASH_SQL = sql<string>`md5((case when s.target_mapping is null
  then jsonb_build_array(${HASHED_CONTENT}) else jsonb_build_array(${HASHED_CONTENT}, s.target_mapping) end)::text)`;

/** The active sources a run sends to: the ones it names, or all of them. */
export function findRunSources(trx: Trx, sourceIds: string[] | null): Promise<EnqueueSource[]> {
  let q = trx
    .selectFrom('sources')
    .select(ENQUEUE_SOURCE_COLUMNS)
    .where('deleted_at', 'is', null)
    .where('is_active', '=', true);
  if (sourceIds) q = q.where('id', 'in', sourceIds);
  return q.execute();
}

// A hire run follows candidate changes, withdrawals too: its candidates are named, hired or not.
function runCandidates(trx: Trx, run: SyncRun) {
  let q = trx.selectFrom('candidates').where('job_posting_id', '=', run.job_posting_id);
  if (run.trigger !== 'hire') q = q.where('stage', '=', 'hired');
  if (run.candidate_ids) q = q.where(sql<boolean>`id = any(${run.candidate_ids}::uuid[])`);
  return q;
}

export async function countRunCandidates(trx: Trx, run: SyncRun): Promise<number> {
  const { n } = await runCandidates(trx, run)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** The next candidates after the run's cursor, in id order. */
export async function nextRunCandidates(trx: Trx, run: SyncRun, limit: number): Promise<string[]> {
  let q = runCandidates(trx, run).select('id').orderBy('id').limit(limit);
  if (run.expand_cursor) q = q.where('id', '>', run.expand_cursor);
  return (await q.execute()).map((c) => c.id);
}

export async function markRunStarted(trx: Trx, runId: string, total: number): Promise<void> {
  await trx
    .updateTable('sync_runs')
    .set({ status: 'running', total, started_at: new Date(), version: sql`version + 1`, updated_at: new Date() })
    .where('id', '=', runId)
    .execute();
}

/** Of a run's sources, those whose connector can update a record, withdraw one, and bring a withdrawn one back. */
export type SourceActions = { update: string[]; withdraw: string[]; rehire: string[] };

/**
 * One delivery per candidate and source, with its action: `create` when the source has no current
 * record of the candidate (never delivered, or withdrawn since), `update` when it has one and its
 * connector can update, `withdraw` for a candidate who left `hired` and whose record exists there,
 * `rehire` for a candidate hired again whose record there was withdrawn, when the connector can
 * bring it back (else `create`: a new record). Skipped when the candidate was already delivered to
 * the source with the same content (unless the run is forced), or for a withdraw the connector
 * cannot do. The idempotency key is derived from source, candidate and content (and the action
 * and the record's last delivery, for update, withdraw and rehire), so a repeated send of the same
 * thing carries the same key, and each withdraw and hire again is a send of its own. An update,
 * withdraw or rehire carries the record's external id.
 */
export async function insertRunDeliveries(
  trx: Trx,
  run: { id: string; force: boolean; job_posting_id: string },
  candidateIds: string[],
  sourceIds: string[],
  can: SourceActions,
): Promise<{ id: string; source_id: string; status: string }[]> {
  if (candidateIds.length === 0 || sourceIds.length === 0) return [];
  const { rows } = await insertRunDeliveriesStatement(run, candidateIds, sourceIds, can).execute(trx);
  return rows;
}

/** The statement of insertRunDeliveries (its plan is tested: the content hash computed once a row). */
export function insertRunDeliveriesStatement(
  run: { id: string; force: boolean; job_posting_id: string },
  candidateIds: string[],
  sourceIds: string[],
  can: SourceActions,
) {
  return sql<{ id: string; source_id: string; status: string }>`
    insert into sync_deliveries (run_id, source_id, candidate_id, status, error_message, payload_hash, idempotency_key, action, external_id, record_hash)
    select ${run.id}::uuid, s.id, c.id, x.status,
           case when x.status = 'skipped' then
             case when a.action = 'withdraw' then 'the connector cannot withdraw a hire'
                  else 'already delivered with the same content' end end,
           h.hash,
           case when ${run.force} then gen_random_uuid()::text
                when a.action = 'create' then encode(sha256(convert_to(s.id::text || ':' || c.id::text || ':' || h.hash, 'UTF8')), 'hex')
                -- A withdraw of a record delivered at another time is another withdraw; a rehire's
                -- delivered_at is its withdrawal's, so a second withdraw and hire sends again.
                else encode(sha256(convert_to(s.id::text || ':' || c.id::text || ':' || h.hash || ':' || a.action
                                              || ':' || coalesce(st.delivered_at::text, ''), 'UTF8')), 'hex') end,
           a.action,
           case when a.action <> 'create' then st.external_id end,
           case when a.action = 'update' then st.record_hash end
    -- The run's posting named, so the plan starts from its one row: joined only by the candidates'
    -- column, a chunk's plan looped over every posting and probed the chunk's candidates and their
    -- states once per posting (the planner expects about 10 rows from "id = any(array)").
    from job_postings j
    join candidates c on c.job_posting_id = j.id
    cross join sources s
    -- OFFSET 0 keeps the planner from pulling the subquery up: pulled up, the hash expression was
    -- copied into each of its uses (the stored hash, the key, the skip check) and computed for each
    -- (18 of the insert's 68 µs a row, measured with one source).
    cross join lateral (select ${PAYLOAD_HASH_SQL} as hash offset 0) h
    left join candidate_sync_state st on st.candidate_id = c.id and st.source_id = s.id
    cross join lateral (select case
        when c.stage <> 'hired' then 'withdraw'
        when st.delivered_payload_hash is not null and s.id = any(${can.update}::uuid[]) then 'update'
        -- Withdrawn there (a withdraw succeeded last: no current record), its id known.
        when st.delivered_payload_hash is null and st.withdrawn_at is not null and st.external_id is not null
             and s.id = any(${can.rehire}::uuid[]) then 'rehire'
        else 'create' end as action) a
    cross join lateral (select case
        when a.action = 'withdraw' then case when s.id = any(${can.withdraw}::uuid[]) then 'pending' else 'skipped' end
        when not ${run.force} and st.delivered_payload_hash = h.hash then 'skipped'
        else 'pending' end as status) x
    where j.id = ${run.job_posting_id}
      and c.id = any(${candidateIds}::uuid[])
      and s.id = any(${sourceIds}::uuid[])
      -- Someone no longer hired is only withdrawn where their record is.
      and (c.stage = 'hired' or st.delivered_payload_hash is not null)
    -- In place of a foreign key checked per row (migration 015): a candidate deleted meanwhile is
    -- skipped, and one deleted later waits for this chunk and then removes its deliveries too.
    for key share of c
    on conflict (run_id, source_id, candidate_id) do nothing
    returning id, source_id, status
  `;
}

export async function saveExpandCursor(trx: Trx, runId: string, cursor: string): Promise<void> {
  await trx
    .updateTable('sync_runs')
    .set({ expand_cursor: cursor, updated_at: new Date() })
    .where('id', '=', runId)
    .execute();
}

/** The run's exact total as its progress rows count it. */
export async function exactRunTotal(trx: Trx, runId: string): Promise<number> {
  const { rows } = await sql<{ exact: number }>`select ${progressTotal(runId)} as exact`.execute(trx);
  return rows[0].exact;
}

export async function markRunExpanded(trx: Trx, runId: string, total: number): Promise<void> {
  await trx
    .updateTable('sync_runs')
    .set({
      total,
      expand_cursor: null,
      expanded_at: new Date(),
      version: sql`version + 1`,
      updated_at: new Date(),
    })
    .where('id', '=', runId)
    .execute();
}

export async function markRunEmpty(trx: Trx, runId: string, summary: string): Promise<void> {
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
}

/**
 * Of the given candidates of a posting, those a run to these sources would act on: hired and not
 * delivered with their current content somewhere, or no longer hired with a record somewhere.
 */
export async function findCandidatesToFollow(
  trx: Trx,
  jobPostingId: string,
  candidateIds: string[],
  sourceIds: string[],
): Promise<string[]> {
  if (candidateIds.length === 0 || sourceIds.length === 0) return [];
  const { rows } = await sql<{ id: string }>`
    select c.id from job_postings j
    join candidates c on c.job_posting_id = j.id
    where j.id = ${jobPostingId} and c.id = any(${candidateIds}::uuid[])
      and exists (
        select 1 from sources s
        left join candidate_sync_state st on st.candidate_id = c.id and st.source_id = s.id
        where s.id = any(${sourceIds}::uuid[])
          and case when c.stage = 'hired' then st.delivered_payload_hash is distinct from ${PAYLOAD_HASH_SQL}
                   else st.delivered_payload_hash is not null end)
    order by c.id
  `.execute(trx);
  return rows.map((r) => r.id);
}
