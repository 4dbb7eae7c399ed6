import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import type { Env } from '@/lib/env';

export type WorkerContext = { boss: PgBoss; db: Database; env: Env; log: Logger; workerId: string };

/** Creates the queues and starts one pg-boss worker per queue. */
export async function registerHandlers(_ctx: WorkerContext): Promise<{ queues: string[]; close: () => Promise<void> }> {
  return { queues: [], close: async () => {} };
}
