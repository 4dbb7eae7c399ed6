import { spawn } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import { createCandidate, createJob } from '@/lib/recruiting/service';
import { resendLostFollowJobs } from '@/lib/sync/follow';
import { type FakeBambooHr, startFakeBambooHr } from '@/test/fakes/bamboohr';
import { type TestWorker, createTestSource, startTestWorker, waitFor } from '@/test/sync-harness';

/**
 * Issue 21, item 6: the hire and the job that delivers it commit together. The process that made
 * the hire is killed (SIGKILL: no handler runs, nothing is flushed) right after its commit, and the
 * employee is still created at the target by the worker, with no Sync pressed.
 */

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const admin = systemActor('test');
let worker: TestWorker;
let bamboo: FakeBambooHr;

beforeAll(async () => {
  worker = await startTestWorker();
  bamboo = await startFakeBambooHr();
});
afterAll(async () => {
  await worker?.stop();
  await bamboo?.close();
  await stopSender();
});

/** Runs the hire in a child process and SIGKILLs it as soon as it reports the commit. */
async function hireInKilledChild(candidateId: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/hire-in-child.ts'), candidateId], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { type?: string }) => {
      if (m?.type !== 'committed') return;
      child.kill('SIGKILL');
      resolve();
    });
    child.on('exit', () => reject(new Error(`the hiring process exited before its commit:\n${output}`)));
  });
  expect(await exited).toBe('SIGKILL');
}

it('a hire whose process is killed right after the commit is still delivered', async () => {
  const source = await createTestSource(bamboo.baseUrl, {
    connector: 'bamboohr',
    settings: { company_domain: bamboo.companyDomain },
    auth: { type: 'basic', username: 'api-key', password: bamboo.apiKey },
  });
  const job = await createJob(getDb(), admin, { title: `Crash ${randomBytes(3).toString('hex')}`, location: 'Berlin' });
  const c = await createCandidate(getDb(), admin, job.slug, {
    first_name: 'Grace',
    last_name: 'Hopper',
    email: `grace-${randomBytes(3).toString('hex')}@example.test`,
    start_date: '2027-01-04',
  });

  await hireInKilledChild(c.id);

  const delivered = await waitFor('the hire to be delivered', () =>
    getDb()
      .selectFrom('sync_deliveries')
      .select(['status', 'external_id', 'action'])
      .where('candidate_id', '=', c.id)
      .where('source_id', '=', source.id)
      .where('status', '=', 'succeeded')
      .executeTakeFirst(),
  );
  expect(delivered.action).toBe('create');
  expect(bamboo.employees.get(delivered.external_id!)).toMatchObject({ firstName: 'Grace', lastName: 'Hopper' });
});

it('changes noted without a job (lost) are sent by the sweeper a minute later', async () => {
  const source = await createTestSource(bamboo.baseUrl, {
    connector: 'bamboohr',
    settings: { company_domain: bamboo.companyDomain },
    auth: { type: 'basic', username: 'api-key', password: bamboo.apiKey },
  });
  const job = await createJob(getDb(), admin, { title: `Lost ${randomBytes(3).toString('hex')}`, location: 'Berlin' });
  const c = await createCandidate(getDb(), admin, job.slug, {
    first_name: 'Katherine',
    last_name: 'Johnson',
    email: `kj-${randomBytes(3).toString('hex')}@example.test`,
    start_date: '2027-01-04',
  });
  // A hire whose job was lost: the change noted two minutes ago, and no job for it.
  await getDb()
    .updateTable('candidates')
    .set({ stage: 'hired', hired_at: new Date() })
    .where('id', '=', c.id)
    .execute();
  await getDb()
    .insertInto('sync_follow_pending')
    .values({ candidate_id: c.id, job_posting_id: job.id, queued_at: new Date(Date.now() - 120_000) })
    .execute();

  expect(await resendLostFollowJobs(getDb(), worker.boss)).toBe(1);
  const delivered = await waitFor('the noted hire to be delivered', () =>
    getDb()
      .selectFrom('sync_deliveries')
      .select(['action', 'external_id'])
      .where('candidate_id', '=', c.id)
      .where('source_id', '=', source.id)
      .where('status', '=', 'succeeded')
      .executeTakeFirst(),
  );
  expect(delivered.action).toBe('create');
});
