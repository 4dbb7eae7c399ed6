import { existsSync } from 'node:fs';
import path from 'node:path';
import { DatabaseNotFoundError, runCli } from '@/lib/cli/run-cli';
import { closeDb, getDb } from '@/lib/db';
import { applyServerSettings, findLocalDatabase } from './lib/local-database';
import { applyLocalSecrets } from './lib/local-secrets';

// Variables already set in the environment win over the .env file.
if (existsSync('.env')) process.loadEnvFile('.env');
const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
applyLocalSecrets(dataDir, { create: false });
// Beside npm start (no DATABASE_URL of our own), its port and the loopback it opened for the demo.
if (!process.env.DATABASE_URL) applyServerSettings(dataDir, process.env);
process.env.ATS_PROCESS ??= 'cli';

const output = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

/** What to say when the database does not answer: the embedded one means npm start is not running. */
let unreachable: string | undefined;

/** Without DATABASE_URL the CLI talks to the embedded database of `npm start`, with its generated password. */
function openDb() {
  if (!process.env.DATABASE_URL) {
    const local = findLocalDatabase(dataDir, process.env);
    if (!local.found) throw new DatabaseNotFoundError(local.problem);
    process.env.DATABASE_URL = local.url;
    unreachable = local.unreachable;
  }
  return getDb();
}

try {
  process.exitCode = await runCli(process.argv.slice(2), { db: openDb, output, unreachable: () => unreachable });
} finally {
  await closeDb();
}
