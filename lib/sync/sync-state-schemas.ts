import { z } from 'zod';
import type {
  DeliveryAction,
  DeliveryStatus,
  SourceConnector,
  SourceHealth,
  SyncMode,
  SyncRunStatus,
  SyncTrigger,
} from '@/db/types';
import type { RecordState } from './statuses';

export const MAX_SYNC_STATE_CANDIDATES = 100;

/** `?candidate_ids=a,b,c`: the candidates whose state is wanted (a page of the Hired table). */
export const syncStateQuerySchema = z.strictObject({
  candidate_ids: z
    .string()
    .transform((v) => [...new Set(v.split(',').map((s) => s.trim().toLowerCase()))].filter(Boolean))
    .pipe(
      z
        .array(z.uuid('must be comma-separated candidate ids (UUIDs)'))
        .max(MAX_SYNC_STATE_CANDIDATES, `at most ${MAX_SYNC_STATE_CANDIDATES} candidate ids`),
    )
    .optional(),
});
export type SyncStateQuery = z.infer<typeof syncStateQuerySchema>;

/** What a recruiter may know about a source: no URL, credentials or headers. */
export type SyncStateSource = {
  id: string;
  name: string;
  connector: SourceConnector;
  health_status: SourceHealth;
  timeout_ms: number;
};

export type LatestRun = {
  task_id: string;
  status: SyncRunStatus;
  trigger: SyncTrigger;
  force: boolean;
  created_at: string;
  finished_at: string | null;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
};

export type CandidateSourceState = {
  source_id: string;
  last_status: DeliveryStatus;
  last_attempt_at: string;
  /** The last successful delivery, which a later failure does not erase. */
  delivered_at: string | null;
  last_error: string | null;
  /** Of the last attempt, for a plain-language reason. */
  error_code: string | null;
  http_status: number | null;
  /** What the last attempt did (create, update, withdraw, rehire), and the record's id in that system. */
  last_action: DeliveryAction | null;
  external_id: string | null;
};

export type CandidateSyncState = { candidate_id: string; sources: CandidateSourceState[] };

export type PostingSyncState = {
  job: { slug: string; hired: number };
  /** Active sources, by name: the ones a sync delivers to. */
  sources: SyncStateSource[];
  /** The pending or running run if there is one, else the newest. */
  latest_run: LatestRun | null;
  /**
   * Per hired candidate, the last known state at each active source (empty: never synced). The
   * candidates asked for with `candidate_ids`, else the most recently hired ones.
   */
  candidates: CandidateSyncState[];
  /** True when `candidate_ids` was not given and the posting has more hired candidates than listed. */
  candidates_truncated: boolean;
};

/** One candidate's record at one source, for the candidate's page (issue 21). */
export type CandidateRecordAtSource = {
  source_id: string;
  name: string;
  connector: SourceConnector;
  sync_mode: SyncMode;
  /** sent, updated, withdrawn, rehired or failed; null: never sent there. */
  state: RecordState | null;
  last_action: DeliveryAction | null;
  last_attempt_at: string | null;
  delivered_at: string | null;
  withdrawn_at: string | null;
  /** The record's id in that system, and a link to it where the connector has one. */
  external_id: string | null;
  record_url: string | null;
  error_code: string | null;
  last_error: string | null;
};

export type CandidateSyncRecords = {
  candidate: { id: string; name: string; stage: string; job_slug: string; job_title: string };
  sources: CandidateRecordAtSource[];
};
