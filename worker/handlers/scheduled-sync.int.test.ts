import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { SCHEDULE_QUEUE } from '@/lib/schedules/jobs';
import { createSchedule } from '@/lib/schedules/service';
import {
  type TestWorker,
  createPostingWithHired,
  createTestSource,
  startTestSender,
  startTestWorker,
  waitFor,
  waitForRunFinished,
  setupMockReceiver,
} from '@/test/sync-harness';

const mock = setupMockReceiver();
let sender: PgBoss;
let worker: TestWorker | undefined;

beforeAll(async () => {
  sender = await startTestSender();
});

afterAll(async () => {
  await worker?.stop();
  await sender?.stop({ graceful: false, close: true });
});

describe('scheduled syncs in the worker', () => {
  // pg-boss evaluates cron on minute boundaries (a pass every 30 s), so an every-minute schedule
  // fires within about 60-100 s of being created. This one test waits for that.
  it('runs an every-minute schedule through the real worker as a sync with trigger schedule', async () => {
    const posting = await createPostingWithHired(2, 1);
    const source = await createTestSource(mock.url, { sync_endpoint: '/hris/hired' });
    const schedule = await createSchedule(getDb(), sender, systemActor('test'), {
      name: 'Every minute',
      cron: '* * * * *',
      timezone: 'UTC',
      scope: 'posting',
      job_slug: posting.slug,
      source_ids: [source.id],
      force: false,
      is_enabled: true,
    });
    // A registration our table does not back (left over from a restored database): the worker removes it on start.
    const stale = randomUUID();
    await sender.schedule(SCHEDULE_QUEUE, '0 3 * * *', { scheduleId: stale }, { key: stale });

    worker = await startTestWorker();
    expect(await sender.getSchedule(SCHEDULE_QUEUE, stale)).toBeNull();
    expect(await sender.getSchedule(SCHEDULE_QUEUE, schedule.id)).toMatchObject({ cron: '* * * * *' });

    const started = await waitFor(
      'the schedule to start a run',
      () => getDb().selectFrom('sync_runs').selectAll().where('schedule_id', '=', schedule.id).executeTakeFirst(),
      150_000,
    );
    expect(started).toMatchObject({ job_posting_id: posting.id, trigger: 'schedule', requested_by: null });
    const run = await waitForRunFinished(started.id);
    expect(run).toMatchObject({ status: 'completed', total: 2, succeeded: 2 });
    expect(mock.requests({ path: '/hris' })).toHaveLength(2);

    const row = await waitFor('the schedule to record its run', () =>
      getDb()
        .selectFrom('sync_schedules')
        .select(['last_run_at', 'last_error'])
        .where('id', '=', schedule.id)
        .where('last_run_at', 'is not', null)
        .executeTakeFirst(),
    );
    expect(row.last_error).toBeNull();
  }, 200_000);
});
