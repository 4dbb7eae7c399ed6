import { describe, expect, it } from 'vitest';
import { ConfigError, launcherEnvSchema, parseEnv } from './env';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db' };

describe('parseEnv', () => {
  it('applies the documented defaults', () => {
    const env = parseEnv(base);
    expect(env).toMatchObject({
      PORT: 3000,
      LOG_LEVEL: 'info',
      SEED_DEMO: true,
      WORKER_CONCURRENCY: 4,
      JOB_TIMEOUT_SECONDS: 90,
      SYNC_BATCH_SIZE: 10,
      SYNC_HISTORY_DAYS: 90,
      SCHEDULE_CATCH_UP: false,
      EMBEDDED_PG_PORT: 54329,
      PGBOSS_SCHEMA: 'pgboss',
    });
  });

  it('names the variable that is missing or bad', () => {
    expect(() => parseEnv({})).toThrow(/DATABASE_URL is required/);
    expect(() => parseEnv({ ...base, PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseEnv({ ...base, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseEnv({ ...base, DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => parseEnv({ ...base, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => parseEnv({ ...base, SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/);
  });

  it('treats empty strings as unset and parses booleans', () => {
    expect(parseEnv({ ...base, PORT: '', SEED_DEMO: 'false' })).toMatchObject({ PORT: 3000, SEED_DEMO: false });
  });

  it('lets the launcher start without a database URL', () => {
    expect(parseEnv({}, launcherEnvSchema).DATABASE_URL).toBeUndefined();
  });
});
