/**
 * The database types, in one place. Hand-written to match db/migrations; a migration that
 * changes a table changes this file in the same commit.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string | undefined, string>;

export type UserRole = 'admin' | 'recruiter' | 'viewer';
export type JobStatus = 'open' | 'closed';
export type CandidateStage = 'applied' | 'screening' | 'interview' | 'offer' | 'hired' | 'rejected';

export type UsersTable = {
  id: Generated<string>;
  email: string;
  name: string;
  role: UserRole;
  /** Null: the user signs in only with SSO (created on first OpenID Connect sign-in). */
  password_hash: string | null;
  is_active: Generated<boolean>;
  session_version: Generated<number>;
  last_sign_in_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

/** An OpenID Connect account (issuer + subject) linked to a user (sso, issue 23 item 2). */
export type UserIdentitiesTable = {
  id: Generated<string>;
  user_id: string;
  issuer: string;
  subject: string;
  created_at: Generated<Date>;
  last_sign_in_at: NullableTimestamp;
};

export type ApiTokensTable = {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  /** Null: made before scopes existed, acts with its owner's role's scopes. */
  scopes: string[] | null;
};

export type JobPostingsTable = {
  id: Generated<string>;
  slug: string;
  title: string;
  department: string | null;
  location: string | null;
  employment_type: EmploymentType | null;
  status: Generated<JobStatus>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type CandidatesTable = {
  id: Generated<string>;
  job_posting_id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  stage: Generated<CandidateStage>;
  hired_at: NullableTimestamp;
  /** `YYYY-MM-DD` (db/client.ts reads dates as text). */
  start_date: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type AuditEventsTable = {
  id: Generated<string>;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Json;
  ip: string | null;
  created_at: Timestamp;
};

export type WorkerHeartbeatsTable = {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  started_at: Timestamp;
  last_seen: Timestamp;
};

/** A connector id from lib/sync/connectors/registry.ts, which validates it (no enum in the database). */
export type SourceConnector = string;
export type EmploymentType = 'full_time' | 'part_time' | 'contract' | 'temporary' | 'internship';
export type SourceAuthType = 'none' | 'bearer' | 'api_key_header' | 'basic' | 'oauth2_client_credentials';
export type SourceHealth = 'unknown' | 'healthy' | 'degraded' | 'auth_failed' | 'unreachable';
export type SyncTrigger = 'manual' | 'schedule' | 'api' | 'hire';
export type SyncMode = 'auto' | 'manual';
export type SigningMode = 'standard' | 'legacy';
export type DeliveryAction = 'create' | 'update' | 'withdraw' | 'rehire';
export type SyncRunStatus = 'pending' | 'running' | 'completed' | 'partially_failed' | 'failed' | 'cancelled';
export type DeliveryStatus = 'pending' | 'in_progress' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export type SourcesTable = {
  id: Generated<string>;
  name: string;
  connector: SourceConnector;
  base_url: string;
  sync_endpoint: Generated<string>;
  http_method: Generated<'POST' | 'PUT' | 'PATCH'>;
  auth_type: Generated<SourceAuthType>;
  auth_header_name: string | null;
  auth_username: string | null;
  auth_secret_encrypted: string | null;
  auth_secret_hint: string | null;
  /** OAuth2 client credentials: token endpoint (absolute, or relative to base_url), scope, client authentication. */
  auth_token_url: string | null;
  auth_scope: string | null;
  auth_client_auth: 'client_secret_post' | 'client_secret_basic' | null;
  signing_secret_encrypted: string | null;
  signing_secret_hint: string | null;
  /** standard: Standard Webhooks headers; legacy: X-ATS-Signature too (migration 028). */
  signing_mode: Generated<SigningMode>;
  headers: ColumnType<Record<string, string>, string | undefined, string>;
  field_mapping: ColumnType<Record<string, string | null>, string | undefined, string>;
  /** The connector's own settings, validated by its schema. */
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** The source's mapping onto its connector's target fields; null: the connector's default mapping. */
  target_mapping: ColumnType<unknown, string | null | undefined, string | null>;
  timeout_ms: Generated<number>;
  max_concurrency: Generated<number>;
  max_requests_per_minute: number | null;
  batch_size: Generated<number>;
  max_attempts: Generated<number>;
  is_active: Generated<boolean>;
  /** auto: a hire, an edit or a withdrawal is followed by a run of its own (migration 023). */
  sync_mode: Generated<SyncMode>;
  health_status: Generated<SourceHealth>;
  health_checked_at: NullableTimestamp;
  health_error: string | null;
  last_success_at: NullableTimestamp;
  consecutive_failures: Generated<number>;
  deleted_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type SyncRunsTable = {
  id: Generated<string>;
  job_posting_id: string;
  trigger: SyncTrigger;
  requested_by: string | null;
  schedule_id: string | null;
  source_ids: string[] | null;
  candidate_ids: string[] | null;
  force: Generated<boolean>;
  status: Generated<SyncRunStatus>;
  total: Generated<number>;
  succeeded: Generated<number>;
  failed: Generated<number>;
  skipped: Generated<number>;
  cancelled: Generated<number>;
  version: Generated<number>;
  error_summary: string | null;
  created_at: Generated<Date>;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  updated_at: Generated<Date>;
  expand_cursor: string | null;
  expanded_at: NullableTimestamp;
};

export type SyncDeliveriesTable = {
  id: Generated<string>;
  run_id: string;
  source_id: string;
  candidate_id: string;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  started_at: NullableTimestamp;
  locked_by: string | null;
  /** Set while a worker holds the delivery (see migration 021): in progress is pending + held. */
  held_until: NullableTimestamp;
  http_status: number | null;
  error_code: string | null;
  error_message: string | null;
  response_excerpt: string | null;
  request_excerpt: ColumnType<unknown, string | null | undefined, string | null>;
  duration_ms: number | null;
  external_id: string | null;
  payload_hash: string;
  idempotency_key: string;
  action: Generated<DeliveryAction>;
  /** Hash of the mapped record: the target's before an update is sent, what was sent after. */
  record_hash: string | null;
  delivered_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type SyncRunProgressTable = {
  run_id: string;
  source_id: string;
  lane: string;
  total: Generated<number>;
  succeeded: Generated<number>;
  failed: Generated<number>;
  skipped: Generated<number>;
  cancelled: Generated<number>;
};

export type CandidateSyncStateTable = {
  candidate_id: string;
  source_id: string;
  last_status: DeliveryStatus;
  last_run_id: string | null;
  last_delivery_id: string | null;
  last_error: string | null;
  last_attempt_at: Timestamp;
  delivered_payload_hash: string | null;
  delivered_at: NullableTimestamp;
  external_id: string | null;
  last_action: DeliveryAction | null;
  /** Hash of the mapped record the target has (named connectors); an update of the same record is not sent. */
  record_hash: string | null;
  /** Set by a withdraw that succeeded; a later create or update clears it. */
  withdrawn_at: NullableTimestamp;
};

export type SyncFollowPendingTable = {
  candidate_id: string;
  job_posting_id: string;
  queued_at: Generated<Date>;
};

export type ScheduleScope = 'posting' | 'all_open';

export type SyncSchedulesTable = {
  id: Generated<string>;
  name: string;
  cron: string;
  timezone: Generated<string>;
  scope: ScheduleScope;
  job_posting_id: string | null;
  source_ids: string[] | null;
  force: Generated<boolean>;
  is_enabled: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  last_run_at: NullableTimestamp;
  last_error: string | null;
};

export type SyncStatsBucketsTable = {
  bucket_start: Timestamp;
  bucket_hours: number;
  runs_pending: number;
  runs_running: number;
  runs_completed: number;
  runs_partially_failed: number;
  runs_failed: number;
  runs_cancelled: number;
  computed_at: Generated<Date>;
};

export type SyncStatsBucketSourcesTable = {
  bucket_start: Timestamp;
  bucket_hours: number;
  source_id: string;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  unfinished: number;
  duration_bins: number[];
  hourly_succeeded: number[];
  hourly_failed: number[];
};

export type SyncStatsBucketPostingsTable = {
  bucket_start: Timestamp;
  bucket_hours: number;
  job_posting_id: string;
  runs: number;
  failed_runs: number;
  succeeded: number;
  failed: number;
  skipped: number;
  last_run_at: Timestamp;
};

/** Every candidate that was ever delivered, with a copy of its email (the tasks list's search). */
export type SyncDeliveredCandidatesTable = {
  candidate_id: string;
  email: string;
};

export type SyncStatsBucketErrorsTable = {
  bucket_start: Timestamp;
  bucket_hours: number;
  error_code: string | null;
  message: string;
  source_id: string;
  count: number;
  last_seen: Timestamp;
  example_run_id: string;
};

export type SyncStatsStateTable = {
  id: number;
  checked_until: Timestamp;
  deletes_seen: number;
};

export type WebhookEventType =
  | 'sync.completed'
  | 'sync.partially_failed'
  | 'sync.failed'
  | 'source.unhealthy'
  // hooks: another endpoint was disabled (by an admin, or automatically for failing).
  | 'webhook.endpoint_disabled';
export type WebhookDeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';

export type WebhookEndpointsTable = {
  id: Generated<string>;
  name: string;
  url: string;
  events: WebhookEventType[];
  secret_encrypted: string;
  secret_hint: string;
  /** standard: Standard Webhooks headers; legacy: X-ATS-Signature too (migration 028). */
  signing_mode: Generated<SigningMode>;
  is_active: Generated<boolean>;
  consecutive_failures: Generated<number>;
  last_success_at: NullableTimestamp;
  last_failure_at: NullableTimestamp;
  last_error: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  // hooks (issue 22 item 4): description, secret rotation, disable (by an admin or for failing).
  description: string | null;
  previous_secret_encrypted: string | null;
  previous_secret_expires_at: NullableTimestamp;
  failing_since: NullableTimestamp;
  disabled_at: NullableTimestamp;
  disabled_kind: WebhookDisabledKind | null;
  disabled_reason: string | null;
  disabled_by: string | null;
};

export type WebhookDisabledKind = 'admin' | 'failing';

export type WebhookDeliveriesTable = {
  id: Generated<string>;
  endpoint_id: string;
  event_id: string;
  /** A WebhookEventType, or `webhook.test` for the admin's test button. */
  event_type: string;
  body: string;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  http_status: number | null;
  last_error: string | null;
  duration_ms: number | null;
  created_at: Generated<Date>;
  last_attempt_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  /** hooks: the first delivery of this event to this endpoint, when this row is a redelivery of it. */
  redelivery_of: string | null;
};

export type RateLimitsTable = {
  key: string;
  window_start: Generated<Date>;
  count: Generated<number>;
};

export type SourcePausesTable = {
  source_id: string;
  paused_until: Date;
  reason: string;
  http_status: number | null;
  created_at: Generated<Date>;
  /** pause (issue 21): who paused it; admin and auth_failed pauses have no end (paused_until = infinity). */
  kind: Generated<SourcePauseKind>;
  paused_by: string | null;
};

export type SourcePauseKind = 'retry_after' | 'admin' | 'auth_failed';

// personio (issue 20): the shared OAuth2 client-credentials token cache.
export type OAuth2TokensTable = {
  source_id: string;
  config_hash: string;
  access_token_encrypted: string;
  token_type: string;
  expires_at: Timestamp;
  fetched_at: Generated<Date>;
};

// Alerts (issue 23 item 1, migration 032).
export type AlertChannelKind = 'email' | 'slack';
export type AlertRuleKind = 'source_unhealthy' | 'run_failed' | 'no_worker' | 'queue_backlog' | 'webhook_disabled';
export type AlertNotificationKind = 'firing' | 'recovery' | 'test';

export type AlertChannelsTable = {
  id: Generated<string>;
  name: string;
  kind: AlertChannelKind;
  enabled: Generated<boolean>;
  email_to: string[] | null;
  slack_webhook_url_encrypted: string | null;
  slack_webhook_url_hint: string | null;
  last_ok: boolean | null;
  last_at: NullableTimestamp;
  last_error_code: string | null;
  last_error_message: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type AlertRulesTable = {
  id: Generated<string>;
  name: string;
  kind: AlertRuleKind;
  enabled: Generated<boolean>;
  params: ColumnType<Record<string, unknown>, string | undefined, string>;
  quiet_period_minutes: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type AlertRuleChannelsTable = {
  rule_id: string;
  channel_id: string;
};

export type AlertIncidentsTable = {
  id: Generated<string>;
  rule_id: string | null;
  rule_name: string;
  kind: AlertRuleKind;
  subject_key: string;
  subject: string;
  details: string;
  link: string | null;
  opened_at: Generated<Date>;
  fired_at: Generated<Date>;
  resolved_at: NullableTimestamp;
  resolution: 'cleared' | 'rule_changed' | null;
  last_notified_at: NullableTimestamp;
};

export type AlertNotificationsTable = {
  id: Generated<string>;
  incident_id: string | null;
  rule_id: string | null;
  channel_id: string | null;
  channel_name: string;
  kind: AlertNotificationKind;
  subject_line: string;
  body: string;
  link: string | null;
  ok: boolean | null;
  error_code: string | null;
  error_message: string | null;
  claimed_at: NullableTimestamp;
  created_at: Generated<Date>;
  sent_at: NullableTimestamp;
};

export type AlertEvaluationsTable = {
  id: Generated<number>;
  evaluated_at: Timestamp;
};

export type DB = {
  users: UsersTable;
  user_identities: UserIdentitiesTable;
  api_tokens: ApiTokensTable;
  job_postings: JobPostingsTable;
  candidates: CandidatesTable;
  audit_events: AuditEventsTable;
  worker_heartbeats: WorkerHeartbeatsTable;
  sources: SourcesTable;
  source_pauses: SourcePausesTable;
  sync_runs: SyncRunsTable;
  sync_deliveries: SyncDeliveriesTable;
  sync_run_progress: SyncRunProgressTable;
  candidate_sync_state: CandidateSyncStateTable;
  sync_follow_pending: SyncFollowPendingTable;
  rate_limits: RateLimitsTable;
  sync_stats_buckets: SyncStatsBucketsTable;
  sync_stats_bucket_sources: SyncStatsBucketSourcesTable;
  sync_stats_bucket_postings: SyncStatsBucketPostingsTable;
  sync_stats_bucket_errors: SyncStatsBucketErrorsTable;
  sync_delivered_candidates: SyncDeliveredCandidatesTable;
  sync_stats_state: SyncStatsStateTable;
  sync_schedules: SyncSchedulesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  oauth2_tokens: OAuth2TokensTable;
  alert_channels: AlertChannelsTable;
  alert_rules: AlertRulesTable;
  alert_rule_channels: AlertRuleChannelsTable;
  alert_incidents: AlertIncidentsTable;
  alert_notifications: AlertNotificationsTable;
  alert_evaluations: AlertEvaluationsTable;
};

export type User = Selectable<UsersTable>;
export type UserIdentity = Selectable<UserIdentitiesTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type JobPosting = Selectable<JobPostingsTable>;
export type Candidate = Selectable<CandidatesTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
export type Source = Selectable<SourcesTable>;
export type SyncRun = Selectable<SyncRunsTable>;
export type SyncDelivery = Selectable<SyncDeliveriesTable>;
export type SyncSchedule = Selectable<SyncSchedulesTable>;
export type WebhookEndpoint = Selectable<WebhookEndpointsTable>;
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;
