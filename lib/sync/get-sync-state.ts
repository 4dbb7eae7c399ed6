import type { Database } from '@/db/client';
import type { SyncRun } from '@/db/types';
import type { Actor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { findCandidateById, findJobBySlug } from '@/lib/recruiting/repository';
import { SLUG_MAX, SLUG_PATTERN, isUuid } from '@/lib/recruiting/schemas';
import { recordUrlOf } from '@/lib/sync-admin/record-url';
import { recordStateOf } from './statuses';
import {
  countHiredCandidates,
  findCandidateSourceStates,
  findCandidateStates,
  findHiredCandidateIds,
  findLatestRunForPosting,
  listActiveSourceSummaries,
} from './sync-state-repository';
import {
  type CandidateSourceState,
  type CandidateSyncRecords,
  type LatestRun,
  MAX_SYNC_STATE_CANDIDATES,
  type PostingSyncState,
  type SyncStateQuery,
} from './sync-state-schemas';

function toLatestRun(run: SyncRun): LatestRun {
  return {
    task_id: run.id,
    status: run.status,
    trigger: run.trigger,
    force: run.force,
    created_at: run.created_at.toISOString(),
    finished_at: run.finished_at?.toISOString() ?? null,
    total: run.total,
    succeeded: run.succeeded,
    failed: run.failed,
    skipped: run.skipped,
    cancelled: run.cancelled,
  };
}

/**
 * What the Hired Candidates page needs to offer a sync and show its outcome: the active sources
 * (no secrets, so recruiters may read it), the posting's latest run and each hired candidate's
 * last known state per source. Every signed-in user may read it, like the posting itself.
 */
export async function getSyncState(
  db: Database,
  _actor: Actor,
  slug: string,
  query: SyncStateQuery,
): Promise<PostingSyncState> {
  const job = SLUG_PATTERN.test(slug) && slug.length <= SLUG_MAX ? await findJobBySlug(db, slug) : undefined;
  if (!job) throw new AppError('job_not_found', `no job posting with slug "${slug.slice(0, 100)}"`);

  const [sources, run, hired, candidateIds] = await Promise.all([
    listActiveSourceSummaries(db),
    findLatestRunForPosting(db, job.id),
    countHiredCandidates(db, job.id),
    findHiredCandidateIds(db, job.id, { ids: query.candidate_ids, limit: MAX_SYNC_STATE_CANDIDATES }),
  ]);
  const states = await findCandidateStates(
    db,
    candidateIds,
    sources.map((s) => s.id),
  );
  // In the order asked for, so the answer lines up with the table that asked.
  const hiredIds = new Set(candidateIds);
  const ordered = query.candidate_ids ? query.candidate_ids.filter((id) => hiredIds.has(id)) : candidateIds;
  const byCandidate = new Map<string, CandidateSourceState[]>(ordered.map((id) => [id, []]));
  for (const st of states) {
    byCandidate.get(st.candidate_id)?.push({
      source_id: st.source_id,
      last_status: st.last_status,
      last_attempt_at: st.last_attempt_at.toISOString(),
      delivered_at: st.delivered_at?.toISOString() ?? null,
      last_error: st.last_error,
      error_code: st.error_code,
      http_status: st.http_status,
      last_action: st.last_action,
      external_id: st.external_id,
    });
  }
  const order = new Map(sources.map((s, i) => [s.id, i]));
  return {
    job: { slug: job.slug, hired },
    sources,
    latest_run: run ? toLatestRun(run) : null,
    candidates: [...byCandidate].map(([candidate_id, list]) => ({
      candidate_id,
      sources: list.sort((a, b) => (order.get(a.source_id) ?? 0) - (order.get(b.source_id) ?? 0)),
    })),
    candidates_truncated: !query.candidate_ids && hired > candidateIds.length,
  };
}

/**
 * The candidate's page: their record at each source (sent, updated, withdrawn, rehired, failed) with its id
 * there and a link to it. Any signed-in user may read it, like the candidate; no secrets in it.
 */
export async function getCandidateSyncRecords(
  db: Database,
  _actor: Actor,
  candidateId: string,
): Promise<CandidateSyncRecords> {
  const candidate = isUuid(candidateId) ? await findCandidateById(db, candidateId) : undefined;
  if (!candidate) throw new AppError('candidate_not_found', 'candidate not found');
  const rows = await findCandidateSourceStates(db, candidate.id);
  return {
    candidate: {
      id: candidate.id,
      name: `${candidate.first_name} ${candidate.last_name}`,
      stage: candidate.stage,
      job_slug: candidate.job_slug,
      job_title: candidate.job_title,
    },
    sources: rows.map((r) => ({
      source_id: r.source_id,
      name: r.name,
      connector: r.connector,
      sync_mode: r.sync_mode,
      state: r.last_status ? recordStateOf(r.last_status, r.last_action) : null,
      last_action: r.last_action,
      last_attempt_at: r.last_attempt_at?.toISOString() ?? null,
      delivered_at: r.delivered_at?.toISOString() ?? null,
      withdrawn_at: r.withdrawn_at?.toISOString() ?? null,
      external_id: r.external_id,
      record_url: recordUrlOf(r.connector, r.settings, r.external_id),
      error_code: r.error_code,
      last_error: r.last_error,
    })),
  };
}
