import { syncRunQueue } from '@/lib/queue/queues';
import { sql } from 'kysely';
import { emitRunsFinished } from '@/lib/webhooks/events';
import type { EngineContext } from './engine-context';
import { enqueueByRun } from './enqueue';

import { addBaseCounts, progressTotal, rebuildProgress, settleRunIn, totalsOf } from './progress';

export type SweepResult = {
  released: number;
  requeued: number;
  sourceGone: number;
  finalized: number;
  restarted: number;
  reconciled: number;
};

/**
 * Repairs what a crash or a lost job can leave behind, so every accepted sync ends in a recorded
 * state: deliveries held by a dead worker, pending deliveries whose job was lost, deliveries to a
 * source that was deactivated, runs whose last delivery settled without finishing the run, finished
 * runs whose counters drifted from their progress rows, and runs whose fan-out job never ran. Safe
 * to run at any time and on several workers at once.
 */
export async function sweep(ctx: EngineContext, options: { orphanAfterSeconds?: number } = {}): Promise<SweepResult> {
  const orphanAfter = options.orphanAfterSeconds ?? 300;
  return ctx.db.transaction().execute(async (trx) => {
    // A lease runs out after claimStaleSeconds; a minute more here, the sweeper being the backstop.
    const released = await sql<{ id: string; run_id: string; source_id: string }>`
      update sync_deliveries d set held_until = null, locked_by = null, next_attempt_at = null, updated_at = now()
      where d.status = 'pending' and d.held_until is not null
        and d.held_until < now() - interval '60 seconds'
      returning d.id, d.run_id, d.source_id
    `.execute(trx);

    const sourceGone = await sql<{ id: string; run_id: string; source_id: string }>`
      update sync_deliveries d set status = 'failed', error_code = 'source_inactive',
             error_message = 'the source was deactivated or deleted before this candidate was sent', updated_at = now()
      from sources s
      where s.id = d.source_id and d.status = 'pending' and (not s.is_active or s.deleted_at is not null)
        and (d.held_until is null or d.held_until < now())
      returning d.id, d.run_id, d.source_id
    `.execute(trx);
    // Count them at once, so pollers see the change; a run left with nothing to send is finished below.
    const goneByRun = new Map<string, Map<string, number>>();
    for (const d of sourceGone.rows) {
      const bySource = goneByRun.get(d.run_id) ?? new Map<string, number>();
      bySource.set(d.source_id, (bySource.get(d.source_id) ?? 0) + 1);
      goneByRun.set(d.run_id, bySource);
    }
    for (const [runId, bySource] of goneByRun) {
      await addBaseCounts(
        trx,
        runId,
        [...bySource].map(([sourceId, failed]) => ({ sourceId, failed })),
      );
    }

    const orphans = await sql<{ id: string; run_id: string; source_id: string }>`
      update sync_deliveries d set updated_at = now()
      from sync_runs r
      where r.id = d.run_id and r.status = 'running' and d.status = 'pending' and d.held_until is null
        and d.updated_at < now() - make_interval(secs => ${orphanAfter})
        and (d.next_attempt_at is null or d.next_attempt_at < now() - make_interval(secs => ${orphanAfter}))
        -- pause (issue 21): a source paused until resumed holds its deliveries; the resume enqueues them.
        and not exists (select 1 from source_pauses sp where sp.source_id = d.source_id and sp.paused_until = 'infinity')
      returning d.id, d.run_id, d.source_id
    `.execute(trx);

    const releasedIds = new Set(released.rows.map((r) => r.id));
    await enqueueByRun(trx, ctx.queues, [...released.rows, ...orphans.rows.filter((o) => !releasedIds.has(o.id))]);

    // Runs still running with nothing left to send (their last batch did not settle them), and runs
    // finished in the last hour whose copied counters disagree with their progress rows (a worker
    // that died between recording a late outcome and settling, or a run finished by a worker of
    // the version before progress rows). Both are counted again from the deliveries, which are
    // the truth, and settled: the first kind finishes there.
    const settled = await sql<{ id: string; running: boolean }>`
      select r.id, true as running from sync_runs r
      where r.status = 'running' and r.expanded_at is not null
        and not exists (select 1 from sync_deliveries d
                        where d.run_id = r.id and d.status = 'pending')
      union all
      select r.id, false from sync_runs r
      cross join lateral (${totalsOf(sql`r.id`)}) p
      where r.status in ('completed', 'partially_failed', 'failed', 'cancelled')
        and r.finished_at > now() - interval '1 hour'
        and (r.succeeded, r.failed, r.skipped, r.cancelled) is distinct from (p.succeeded, p.failed, p.skipped, p.cancelled)
    `.execute(trx);
    const ids = settled.rows.map((r) => r.id);
    await rebuildProgress(trx, ids);
    // A running run's total is what its deliveries add up to (a candidate deleted mid-run takes
    // its deliveries with it).
    await sql`update sync_runs r set total = ${progressTotal(sql`r.id`)} where r.id = any(${ids}::uuid[]) and r.status = 'running'`.execute(
      trx,
    );
    const finalized: string[] = [];
    for (const id of ids) if ((await settleRunIn(trx, id, { touch: true })) === 'finished') finalized.push(id);
    await emitRunsFinished(trx, ctx.boss, finalized);
    const reconciled = settled.rows.filter((r) => !r.running).length;

    // Runs whose fan-out job was lost: never started, or stopped between two chunks.
    const stuckAfter = Math.min(orphanAfter, 120);
    const stuck = await trx
      .updateTable('sync_runs')
      .set({ updated_at: new Date() })
      .where((eb) =>
        eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'running'), eb('expanded_at', 'is', null)])]),
      )
      .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${stuckAfter})`)
      .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${stuckAfter})`)
      .returning('id')
      .execute();
    for (const run of stuck) await ctx.boss.send(syncRunQueue.name, { runId: run.id });

    const result = {
      released: released.rows.length,
      requeued: orphans.rows.length,
      sourceGone: sourceGone.rows.length,
      finalized: finalized.length,
      restarted: stuck.length,
      reconciled,
    };
    if (Object.values(result).some((n) => n > 0)) ctx.log.warn(result, 'sweeper repaired sync state');
    return result;
  });
}
