/**
 * Test support for the recruiting integration tests (imported only by *.int.test.ts): the route
 * handlers under test and shortcuts that go through them, as a script would.
 */
import * as candidateById from '@/app/api/v1/candidates/[id]/route';
import * as jobs from '@/app/api/v1/jobs/route';
import * as jobBySlug from '@/app/api/v1/jobs/[slug]/route';
import * as jobCandidates from '@/app/api/v1/jobs/[slug]/candidates/route';
import * as jobImport from '@/app/api/v1/jobs/[slug]/candidates/import/route';
import { expect } from 'vitest';
import { getDb } from '@/lib/db';
import { type Auth, callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import type { PublicJob } from '@/lib/recruiting/schemas';

export const api = { jobs, jobBySlug, jobCandidates, jobImport, candidateById };

export async function recruiterToken(): Promise<Auth> {
  return { token: await createTestToken(await createTestUser('recruiter')) };
}

export async function createJobVia(auth: Auth, body: Record<string, unknown> = {}): Promise<PublicJob> {
  const res = await callRoute(jobs.POST, {
    method: 'POST',
    auth,
    body: { title: `Job ${Math.random().toString(36).slice(2, 8)}`, ...body },
  });
  if (res.status !== 201) throw new Error(`creating a job failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function person(n: number, extra: Record<string, unknown> = {}) {
  return { first_name: `First${n}`, last_name: `Last${n}`, email: `person${n}@example.test`, ...extra };
}

export async function auditEvents(action: string, targetId?: string) {
  let query = getDb().selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('id');
  if (targetId) query = query.where('target_id', '=', targetId);
  return query.execute();
}

export async function countCandidates(jobId: string): Promise<number> {
  const row = await getDb()
    .selectFrom('candidates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('job_posting_id', '=', jobId)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The answer is the documented error: this status and this code. */
export function expectError(res: { status: number; body: any }, status: number, code: string, label?: string): void {
  expect(res.status, label).toBe(status);
  expect(res.body.error.code, label).toBe(code);
}
