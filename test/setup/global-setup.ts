import { rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type EmbeddedDatabase, generateDatabasePassword, startEmbeddedPostgres } from '../../db/embedded';
import { migrateToLatest } from '../../db/migrate';

export const TEMPLATE_DB = 'ats_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    testDbAdminUrl: string;
    testDbTemplate: string;
  }
}

let embedded: EmbeddedDatabase | undefined;
let dataDir: string | undefined;

/**
 * One PostgreSQL for the whole run (embedded, or TEST_DATABASE_URL), with a migrated template
 * database; each test file then clones the template into its own database (see database-per-file.ts).
 */
export async function setup(project: TestProject): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    // Each run gets its own cluster and port, so runs in parallel (or a stale one) never collide.
    dataDir = path.resolve(`.data/test-postgres-${process.pid}`);
    rmSync(dataDir, { recursive: true, force: true });
    embedded = await startEmbeddedPostgres({
      dataDir,
      port: process.env.TEST_PG_PORT ? Number(process.env.TEST_PG_PORT) : await freePort(),
      database: 'postgres',
      password: generateDatabasePassword(),
      // clidoctor (issue 23 item 5): a checkout the postgres user cannot enter names this way out.
      variables: { ownDatabase: 'TEST_DATABASE_URL' },
    });
    adminUrl = embedded.adminUrl;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await admin.query(`create database ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  await migrateToLatest(withDatabase(adminUrl, TEMPLATE_DB), { bossSchema: 'pgboss' });
  project.provide('testDbAdminUrl', adminUrl);
  project.provide('testDbTemplate', TEMPLATE_DB);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
