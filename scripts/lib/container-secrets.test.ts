import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { POSTGRES_PASSWORD_FILE, SECRETS_ENV, writeContainerSecrets } from './container-secrets';

const folders: string[] = [];
function folder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ats-secrets-'));
  folders.push(dir);
  return path.join(dir, 'data');
}

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const read = (dir: string) => parseEnv(readFileSync(path.join(dir, SECRETS_ENV), 'utf8')) as Record<string, string>;

describe('writeContainerSecrets (compose.yaml secrets one-off)', () => {
  it('generates the shared secrets once: valid for the app, the database password in both files, private', () => {
    const dir = folder();
    expect(writeContainerSecrets(dir)).toEqual([SECRETS_ENV, POSTGRES_PASSWORD_FILE]);
    const secrets = read(dir);
    expect(Object.keys(secrets).sort()).toEqual(['APP_ENCRYPTION_KEY', 'NEXTAUTH_SECRET', 'PGPASSWORD']);
    expect(secrets.NEXTAUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(Buffer.from(secrets.APP_ENCRYPTION_KEY, 'base64')).toHaveLength(32);
    expect(secrets.PGPASSWORD).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(path.join(dir, POSTGRES_PASSWORD_FILE), 'utf8')).toBe(secrets.PGPASSWORD);
    expect(statSync(path.join(dir, SECRETS_ENV)).mode & 0o777).toBe(0o600);

    const other = folder();
    writeContainerSecrets(other);
    expect(read(other).APP_ENCRYPTION_KEY).not.toBe(secrets.APP_ENCRYPTION_KEY);
  });

  it('keeps what is there: a second run writes nothing', () => {
    const dir = folder();
    writeContainerSecrets(dir);
    const before = readFileSync(path.join(dir, SECRETS_ENV), 'utf8');
    expect(writeContainerSecrets(dir)).toEqual([]);
    expect(readFileSync(path.join(dir, SECRETS_ENV), 'utf8')).toBe(before);
  });

  it('refuses to pair a new password or key with an old one when one file is lost', () => {
    const dir = folder();
    writeContainerSecrets(dir);
    const env = readFileSync(path.join(dir, SECRETS_ENV), 'utf8');
    unlinkSync(path.join(dir, POSTGRES_PASSWORD_FILE));
    expect(() => writeContainerSecrets(dir)).toThrow(/postgres-password is missing/);
    expect(existsSync(path.join(dir, POSTGRES_PASSWORD_FILE))).toBe(false);
    expect(readFileSync(path.join(dir, SECRETS_ENV), 'utf8')).toBe(env);
  });
});
