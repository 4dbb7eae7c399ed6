import os from 'node:os';
import { sql } from 'kysely';
import type { Database } from '@/db/client';

/** Keeps a row fresh so the UI and readiness check can tell which workers are alive. */
export function startHeartbeat(db: Database, info: { id: string; concurrency: number }, intervalMs = 10_000) {
  const beat = () =>
    db
      .insertInto('worker_heartbeats')
      .values({ id: info.id, host: os.hostname(), pid: process.pid, concurrency: info.concurrency })
      .onConflict((oc) => oc.column('id').doUpdateSet({ last_seen: sql`now()`, concurrency: info.concurrency }))
      .execute();
  let timer: NodeJS.Timeout | undefined;
  const loop = async (onError: (err: unknown) => void) => {
    try {
      await beat();
    } catch (err) {
      onError(err);
    }
  };
  return {
    async start(onError: (err: unknown) => void) {
      await beat();
      timer = setInterval(() => void loop(onError), intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await db.deleteFrom('worker_heartbeats').where('id', '=', info.id).execute();
    },
  };
}
