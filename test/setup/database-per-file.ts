import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, inject } from 'vitest';

/**
 * Runs before each test file: clones the migrated template into a database of the file's own,
 * so files run in parallel without seeing each other's rows. The database is dropped when the
 * file's tests all passed and kept (named in the output) when one failed, to inspect.
 */
const adminUrl = inject('testDbAdminUrl');
const template = inject('testDbTemplate');
const name = `t_${randomBytes(6).toString('hex')}`;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

await admin((c) => c.query(`create database ${name} template ${template}`));
const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
process.env.TEST_DATABASE_NAME = name;

let failed = false;
afterEach(({ task }) => {
  if (task.result?.state === 'fail') failed = true;
});
afterAll(async () => {
  const { closeDb } = await import('@/lib/db');
  await closeDb();
  if (failed) {
    console.error(`test database kept for inspection: ${name}`);
    return;
  }
  await admin((c) => c.query(`drop database if exists ${name} with (force)`));
});
