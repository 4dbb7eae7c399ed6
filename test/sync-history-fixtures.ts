import { randomBytes } from 'node:crypto';
import type { DeliveryStatus, SyncRunStatus, SyncTrigger } from '@/db/types';
import { getDb } from '@/lib/db';
import { rebuildProgress } from '@/lib/sync/progress';

/** Test fixtures: sync history written straight into the database, shaped as the engine leaves it. */

export async function insertSource(name: string, options: { deleted?: boolean; active?: boolean } = {}) {
  const row = await getDb()
    .insertInto('sources')
    .values({
      name,
      connector: 'generic_webhook',
      base_url: 'http://127.0.0.1:9',
      sync_endpoint: '/hooks',
      headers: '{}',
      field_mapping: '{}',
      is_active: options.active ?? true,
      health_status: 'healthy',
      deleted_at: options.deleted ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertPosting(hired: number) {
  const db = getDb();
  const slug = `admin-${randomBytes(4).toString('hex')}`;
  const job = await db
    .insertInto('job_postings')
    .values({ slug, title: `Posting ${slug}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const candidates = await db
    .insertInto('candidates')
    .values(
      Array.from({ length: hired }, (_, i) => ({
        job_posting_id: job.id,
        first_name: `First${i}`,
        last_name: `Last${String(i).padStart(2, '0')}`,
        email: `c${i}-${slug}@example.test`,
        stage: 'hired' as const,
        hired_at: new Date(),
      })),
    )
    .returning(['id', 'email'])
    .execute();
  return { id: job.id, slug, candidates };
}

export type FixtureDelivery = {
  sourceId: string;
  candidateId: string;
  status: DeliveryStatus;
  durationMs?: number;
  httpStatus?: number;
  errorCode?: string;
  errorMessage?: string;
};

/** A run and its deliveries; the run's counters and progress rows are those of the deliveries. */
export async function insertRun(input: {
  postingId: string;
  status: SyncRunStatus;
  createdAt: Date;
  trigger?: SyncTrigger;
  requestedBy?: string | null;
  sourceIds?: string[] | null;
  candidateIds?: string[] | null;
  deliveries?: FixtureDelivery[];
}): Promise<string> {
  const db = getDb();
  const deliveries = input.deliveries ?? [];
  const count = (s: DeliveryStatus) => deliveries.filter((d) => d.status === s).length;
  const startedAt = new Date(input.createdAt.getTime() + 1000);
  const finished = !['pending', 'running'].includes(input.status);
  const run = await db
    .insertInto('sync_runs')
    .values({
      job_posting_id: input.postingId,
      trigger: input.trigger ?? 'manual',
      requested_by: input.requestedBy ?? null,
      source_ids: input.sourceIds ?? null,
      candidate_ids: input.candidateIds ?? null,
      status: input.status,
      total: deliveries.length,
      succeeded: count('succeeded'),
      failed: count('failed'),
      skipped: count('skipped'),
      cancelled: count('cancelled'),
      created_at: input.createdAt,
      started_at: input.status === 'pending' ? null : startedAt,
      finished_at: finished ? new Date(startedAt.getTime() + 5000) : null,
      expanded_at: input.status === 'pending' ? null : startedAt,
      updated_at: new Date(startedAt.getTime() + 5000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (deliveries.length) {
    await db
      .insertInto('sync_deliveries')
      .values(
        deliveries.map((d) => ({
          run_id: run.id,
          source_id: d.sourceId,
          candidate_id: d.candidateId,
          status: d.status,
          attempts: d.status === 'pending' || d.status === 'skipped' ? 0 : 1,
          http_status: d.httpStatus ?? (d.status === 'succeeded' ? 200 : null),
          error_code: d.errorCode ?? null,
          error_message: d.errorMessage ?? null,
          duration_ms: d.durationMs ?? null,
          external_id: d.status === 'succeeded' ? `EXT-${randomBytes(3).toString('hex')}` : null,
          response_excerpt: d.status === 'succeeded' ? '{"id":"EXT"}' : (d.errorMessage ?? null),
          request_excerpt: JSON.stringify({
            method: 'POST',
            url: 'http://127.0.0.1:9/hooks',
            headers: { authorization: '[redacted]', 'content-type': 'application/json' },
            body: { candidate: d.candidateId },
          }),
          payload_hash: 'h',
          idempotency_key: randomBytes(8).toString('hex'),
          delivered_at: d.status === 'succeeded' ? startedAt : null,
          created_at: startedAt,
          updated_at: new Date(startedAt.getTime() + 5000),
        })),
      )
      .execute();
  }
  await rebuildProgress(db, [run.id]);
  return run.id;
}

export const ago = (ms: number) => new Date(Date.now() - ms);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
