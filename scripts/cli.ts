import { existsSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '@/lib/cli/run-cli';
import { closeDb, getDb } from '@/lib/db';
import { embeddedPort, localDatabaseUrl } from './lib/local-database';
import { applyLocalSecrets } from './lib/local-secrets';

// Variables already set in the environment win over the .env file.
if (existsSync('.env')) process.loadEnvFile('.env');
const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
applyLocalSecrets(dataDir, { create: false });
process.env.ATS_PROCESS ??= 'cli';

const output = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

/** Without DATABASE_URL the CLI talks to the embedded database of `npm start`, with its generated password. */
function openDb() {
  if (!process.env.DATABASE_URL) {
    const url = localDatabaseUrl(dataDir, embeddedPort(process.env));
    if (url) process.env.DATABASE_URL = url;
  }
  return getDb();
}

try {
  process.exitCode = await runCli(process.argv.slice(2), { db: openDb, output });
} finally {
  await closeDb();
}
