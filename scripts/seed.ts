import { closeDb, getDb } from '@/lib/db';
import { isDatabaseEmpty, seedDemo } from '@/lib/demo/seed-demo';
import { ConfigError, getEnv } from '@/lib/env';

try {
  if (process.env.DATABASE_URL === undefined && (await import('node:fs')).existsSync('.env'))
    process.loadEnvFile('.env');
  const db = getDb();
  if (!(await isDatabaseEmpty(db))) {
    console.log('the database already has users: demo data not added');
  } else {
    const creds = await seedDemo(db, {
      adminPassword: process.env.ADMIN_PASSWORD,
      recruiterPassword: process.env.RECRUITER_PASSWORD,
      viewerPassword: process.env.VIEWER_PASSWORD,
      mockSourceUrl: `http://127.0.0.1:${getEnv().MOCK_SOURCE_PORT}`,
    });
    for (const c of creds) console.log(`${c.role}: ${c.email} password: ${c.password}`);
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `seed failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
