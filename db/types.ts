/**
 * The database types, in one place. Hand-written to match db/migrations; a migration that
 * changes a table changes this file in the same commit.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string | undefined, string>;

export type UserRole = 'admin' | 'recruiter';
export type JobStatus = 'open' | 'closed';
export type CandidateStage = 'applied' | 'screening' | 'interview' | 'offer' | 'hired' | 'rejected';

export type UsersTable = {
  id: Generated<string>;
  email: string;
  name: string;
  role: UserRole;
  password_hash: string;
  is_active: Generated<boolean>;
  session_version: Generated<number>;
  last_sign_in_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
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
};

export type JobPostingsTable = {
  id: Generated<string>;
  slug: string;
  title: string;
  department: string | null;
  location: string | null;
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

export type DB = {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  job_postings: JobPostingsTable;
  candidates: CandidatesTable;
  audit_events: AuditEventsTable;
  worker_heartbeats: WorkerHeartbeatsTable;
};

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type JobPosting = Selectable<JobPostingsTable>;
export type Candidate = Selectable<CandidatesTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
