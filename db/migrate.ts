import { Migrator, type MigrationResultSet } from 'kysely/migration';
import { PgBoss } from 'pg-boss';
import { createDb } from './client';
import { migrations } from './migrations';

export type MigrateResult = { applied: string[] };

/**
 * Applies our migrations, then installs or upgrades the pg-boss schema, in one step. Unordered
 * migrations are allowed: branches that landed the same day may number theirs out of landing order.
 */
export async function migrateToLatest(databaseUrl: string, options: { bossSchema: string }): Promise<MigrateResult> {
  const db = createDb(databaseUrl, { max: 2, applicationName: 'ats-sync-migrate' });
  let result: MigrationResultSet;
  try {
    // Numbers are handed out per piece of work and land in any order (007 before 006): a database
    // that already ran a later-numbered migration still takes an earlier one that arrives after it.
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
      allowUnorderedMigrations: true,
    });
    result = await migrator.migrateToLatest();
  } finally {
    await db.destroy();
  }
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(
      `migration ${failed?.migrationName ?? '?'} failed: ${(result.error as Error).message ?? result.error}`,
    );
  }
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: options.bossSchema,
    max: 2,
    supervise: false,
    schedule: false,
    migrate: true,
  });
  boss.on('error', () => {});
  await boss.start();
  await boss.stop({ graceful: false, close: true });
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Names of migrations not yet applied; used by the readiness check. */
export async function pendingMigrations(db: ReturnType<typeof createDb>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
  const all = await migrator.getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
