import { migrateToLatest } from '@/db/migrate';
import { ConfigError, getEnv } from '@/lib/env';

try {
  if (process.env.DATABASE_URL === undefined && (await import('node:fs')).existsSync('.env'))
    process.loadEnvFile('.env');
  const env = getEnv();
  const result = await migrateToLatest(env.DATABASE_URL, { bossSchema: env.PGBOSS_SCHEMA });
  console.log(result.applied.length ? `applied: ${result.applied.join(', ')}` : 'database is up to date');
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `migration failed: ${(err as Error).message}`);
  process.exit(1);
}
