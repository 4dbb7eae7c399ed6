import { existsSync } from 'node:fs';
import { runCli } from '@/lib/cli/run-cli';
import { closeDb, getDb } from '@/lib/db';

// Variables already set in the environment win over the .env file.
if (existsSync('.env')) process.loadEnvFile('.env');
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
