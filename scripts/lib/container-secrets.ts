import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SECRETS_ENV = 'secrets.env';
export const POSTGRES_PASSWORD_FILE = 'postgres-password';

/** Written aside and renamed over, so a crash never leaves half a file. */
function writeAtomically(file: string, content: string, mode: number): void {
  const next = `${file}.${process.pid}.tmp`;
  writeFileSync(next, content, { mode });
  chmodSync(next, mode);
  renameSync(next, file);
}

/**
 * Generates the deployment's shared secrets into `folder` unless they are there; returns the names
 * of the files it wrote. The database password is URL-safe, as it may end up in a DATABASE_URL.
 */
export function writeContainerSecrets(folder: string): string[] {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const envFile = path.join(folder, SECRETS_ENV);
  const passwordFile = path.join(folder, POSTGRES_PASSWORD_FILE);
  const written: string[] = [];
  if (existsSync(envFile) !== existsSync(passwordFile)) {
    // One without the other: a new password would not match the database, or a new key the data.
    throw new Error(
      `${existsSync(envFile) ? POSTGRES_PASSWORD_FILE : SECRETS_ENV} is missing beside the other; restore it, or remove both for a new deployment`,
    );
  }
  if (!existsSync(envFile)) {
    const password = randomBytes(32).toString('base64url');
    // Readable by the PostgreSQL container's own user, which may read it after dropping root.
    writeAtomically(passwordFile, password, 0o644);
    writeAtomically(
      envFile,
      [
        `NEXTAUTH_SECRET=${randomBytes(32).toString('base64url')}`,
        `APP_ENCRYPTION_KEY=${randomBytes(32).toString('base64')}`,
        `PGPASSWORD=${password}`,
        '',
      ].join('\n'),
      0o600,
    );
    written.push(SECRETS_ENV, POSTGRES_PASSWORD_FILE);
  }
  return written;
}
