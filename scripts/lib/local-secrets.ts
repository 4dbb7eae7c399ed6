import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateDatabasePassword } from '@/db/embedded';

const GENERATED = {
  NEXTAUTH_SECRET: () => randomBytes(32).toString('base64url'),
  APP_ENCRYPTION_KEY: () => randomBytes(32).toString('base64'),
} as const;

/** Kept in the secrets file only, never put in the environment: it is part of DATABASE_URL. */
const DATABASE_PASSWORD = 'EMBEDDED_PG_PASSWORD';

function secretsFile(dataDir: string): string {
  return path.join(dataDir, 'secrets.json');
}

function readSecrets(dataDir: string): Record<string, string> {
  const file = secretsFile(dataDir);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
}

/** Written aside and renamed over, so a crash never leaves half a file; 0600 even when the old file was not. */
function writeSecrets(dataDir: string, stored: Record<string, string>): void {
  const file = secretsFile(dataDir);
  const next = `${file}.${process.pid}.tmp`;
  writeFileSync(next, JSON.stringify(stored, null, 2), { mode: 0o600 });
  chmodSync(next, 0o600);
  renameSync(next, file);
}

/**
 * Secrets the embedded setup keeps under the data folder (mode 0600, never printed): read into the
 * environment where not set there, and generated first when `create` is true (npm start).
 */
export function applyLocalSecrets(dataDir: string, options: { create: boolean }): void {
  const stored = readSecrets(dataDir);
  let changed = false;
  for (const [name, make] of Object.entries(GENERATED)) {
    if (process.env[name]) continue;
    if (!stored[name] && options.create) {
      stored[name] = make();
      changed = true;
    }
    if (stored[name]) process.env[name] = stored[name];
  }
  if (changed) writeSecrets(dataDir, stored);
}

/**
 * The password of the embedded PostgreSQL's `postgres` role, from the same secrets file; generated
 * (once, with crypto randomness) when `create` is true. Undefined when there is none and `create`
 * is false.
 */
export function embeddedDatabasePassword(dataDir: string, options: { create: boolean }): string | undefined {
  const stored = readSecrets(dataDir);
  if (!stored[DATABASE_PASSWORD] && options.create) {
    stored[DATABASE_PASSWORD] = generateDatabasePassword();
    writeSecrets(dataDir, stored);
  }
  return stored[DATABASE_PASSWORD];
}
