import { createDb, type Database } from '@/db/client';
import { getEnv } from './env';

const holder = globalThis as unknown as { __atsDb?: Database };

/** The process-wide database handle (kept across dev reloads). */
export function getDb(): Database {
  if (!holder.__atsDb) {
    const env = getEnv();
    holder.__atsDb = createDb(env.DATABASE_URL, {
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
