import { existsSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '@/lib/cli/run-cli';
import { closeDb, getDb } from '@/lib/db';
import { applyLocalSecrets } from './lib/local-secrets';

// Variables already set in the environment win over the .env file.
if (existsSync('.env')) process.loadEnvFile('.env');
applyLocalSecrets(path.resolve(process.env.DATA_DIR ?? '.data'), { create: false });
process.env.ATS_PROCESS ??= 'cli';

const output = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

try {
  process.exitCode = await runCli(process.argv.slice(2), { db: getDb, output });
} finally {
  await closeDb();
}
