import { createDb, type Database, type DbOptions } from '@/db/client';
import { getEnv } from './env';

const holder = globalThis as unknown as { __atsDb?: Database };

/** The process-wide database handle (kept across dev reloads); options apply when it is first made. */
export function getDb(options: Pick<DbOptions, 'synchronousCommit'> = {}): Database {
  if (!holder.__atsDb) {
    const env = getEnv();
    holder.__atsDb = createDb(env.DATABASE_URL, {
      ...options,
      max: env.DB_POOL_MAX,
      applicationName: `ats-sync-${process.env.ATS_PROCESS ?? 'app'}`,
    });
  }
  return holder.__atsDb;
}

export async function closeDb(): Promise<void> {
  const db = holder.__atsDb;
  holder.__atsDb = undefined;
  await db?.destroy();
}
