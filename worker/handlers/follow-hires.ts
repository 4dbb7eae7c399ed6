import { syncFollowQueue } from '@/lib/queue/queues';
import { resendLostFollowJobs, startFollowRun } from '@/lib/sync/follow';
import type { WorkerContext } from '../context';

/**
 * Sync on hire: a posting's job, sent with its hires, edits and withdrawals, becomes the run that
 * follows them. Polled each second besides LISTEN/NOTIFY: the job is due a few seconds after it
 * was sent, when no notification comes.
 */
export async function startFollowHires(ctx: WorkerContext): Promise<{ sweep: () => Promise<void> }> {
  const { boss, db, log } = ctx;
  await boss.work(
    syncFollowQueue.name,
    { pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1, batchSize: 10 },
    async (jobs) => {
      for (const job of jobs) {
        const parsed = syncFollowQueue.schema.safeParse(job.data);
        if (!parsed.success) {
          // A payload that does not parse will never parse: permanent, not retried.
          log.error({ jobId: job.id, issues: parsed.error.issues }, 'invalid sync-follow job payload: dropped');
          continue;
        }
        const result = await startFollowRun(db, boss, parsed.data.jobPostingId);
        if (result) log.info({ jobPostingId: parsed.data.jobPostingId, ...result }, 'sync on hire');
      }
    },
  );
  return {
    sweep: async () => {
      const resent = await resendLostFollowJobs(db, boss);
      if (resent) log.warn({ postings: resent }, 'sync on hire: jobs of noted changes sent again');
    },
  };
}
