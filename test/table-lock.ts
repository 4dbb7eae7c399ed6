import { sql } from 'kysely';
import type { Database } from '@/db/client';

/**
 * Holds an ACCESS EXCLUSIVE lock on `table` in a transaction of its own until `release()`: whatever
 * reads the table meanwhile waits, which a test uses to show that something does not read it, or
 * to make work overlap. Resolves once the lock is held; `release()` ends the transaction and
 * settles when it has ended.
 */
export async function holdTableLock(db: Database, table: string): Promise<{ release: () => Promise<void> }> {
  let unlock!: () => void;
  const released = new Promise<void>((resolve) => {
    unlock = resolve;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const done = db.transaction().execute(async (trx) => {
    await sql`lock table ${sql.table(table)} in access exclusive mode`.execute(trx);
    locked();
    await released;
  });
  await Promise.race([isLocked, done]);
  return {
    release: () => {
      unlock();
      return done;
    },
  };
}
