/**
 * README example: start a sync of a posting's hired candidates and follow it to the end, then retry
 * what failed. `ATS_SYNC_URL=https://ats-sync.example.com ATS_SYNC_TOKEN=ats_… npx tsx
 * scripts/examples/sync-a-posting.ts senior-backend-engineer`
 */
import { type AtsSyncClient, createAtsSyncClient, waitForRun } from '@/client';

export async function syncPosting(client: AtsSyncClient, slug: string, options: { intervalMs?: number } = {}) {
  const { data: started, error } = await client.POST('/api/v1/jobs/{slug}/sync-hired-candidates', {
    params: { path: { slug } },
    body: {},
  });
  if (error) throw new Error(`${error.error.code}: ${error.error.message}`);
  console.log(`run ${started.task_id} ${started.deduplicated ? '(already going on)' : 'started'}`);
  const run = await waitForRun(client, started.task_id, {
    intervalMs: options.intervalMs,
    onProgress: (s) => console.log(`${s.status} ${s.progress.percent}% (${s.progress.failed} failed)`),
  });
  for (const e of run.errors) console.log(`failed: ${e.candidate_name} at ${e.source_name}: ${e.message}`);
  return run;
}

/** Sends a finished run's failed deliveries again and follows the run once more. */
export async function retryFailures(client: AtsSyncClient, taskId: string, options: { intervalMs?: number } = {}) {
  const { data, error } = await client.POST('/api/v1/sync-tasks/{taskId}/retry-failed', {
    params: { path: { taskId } },
  });
  if (error) throw new Error(`${error.error.code}: ${error.error.message}`);
  console.log(`retrying ${data.retried} deliveries`);
  return waitForRun(client, taskId, options);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const client = createAtsSyncClient({
    baseUrl: process.env.ATS_SYNC_URL ?? '',
    token: process.env.ATS_SYNC_TOKEN ?? '',
  });
  const run = await syncPosting(client, process.argv[2] ?? '');
  if (run.progress.failed > 0) await retryFailures(client, run.task_id);
}
