import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const GENERATED = {
  NEXTAUTH_SECRET: () => randomBytes(32).toString('base64url'),
  APP_ENCRYPTION_KEY: () => randomBytes(32).toString('base64'),
} as const;

/**
 * Secrets the embedded setup keeps under the data folder (mode 0600, never printed): read into the
 * environment where not set there, and generated first when `create` is true (npm start).
 */
export function applyLocalSecrets(dataDir: string, options: { create: boolean }): void {
  const file = path.join(dataDir, 'secrets.json');
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  let changed = false;
  for (const [name, make] of Object.entries(GENERATED)) {
    if (process.env[name]) continue;
    if (!stored[name] && options.create) {
      stored[name] = make();
      changed = true;
    }
    if (stored[name]) process.env[name] = stored[name];
  }
  if (changed) writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
}
