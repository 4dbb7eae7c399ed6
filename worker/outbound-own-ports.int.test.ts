import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sourceTest from '@/app/api/v1/sources/[id]/test/route';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import { callRoute, createTestUser } from '@/test/fixtures';
import {
  createPostingWithHired,
  createTestSource,
  startSyncOf,
  waitForRunFinished,
  setupMockReceiver,
} from '@/test/sync-harness';
import { workerProcesses } from '@/test/worker-process';

/**
 * Loopback is open here (vitest.config.ts sets OUTBOUND_ALLOW_CIDRS=127.0.0.0/8,::1/128, as the
 * demo opens 127.0.0.1), yet the app's own port and the database's port stay out of reach.
 */
const appPortReceiver = setupMockReceiver();
const receiver = setupMockReceiver();
const workers = workerProcesses();

beforeAll(async () => {
  // A real worker process whose web app would listen on the first receiver's port.
  await workers.start({ PORT: String(appPortReceiver.port) });
});

afterAll(async () => {
  await workers.killAll();
  await stopSender();
});

describe("the app's own and the database's ports", () => {
  it("a worker refuses the app's PORT on loopback and still delivers to another loopback port", async () => {
    const own = await createTestSource(`http://127.0.0.1:${appPortReceiver.port}`);
    const other = await createTestSource(`http://127.0.0.1:${receiver.port}`);
    const posting = await createPostingWithHired(1);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [own.id, other.id]), 60_000);

    expect(run.status).toBe('partially_failed');
    const rows = await getDb().selectFrom('sync_deliveries').selectAll().where('run_id', '=', run.id).execute();
    expect(rows.find((r) => r.source_id === own.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error_code: 'destination_blocked',
      error_message: `destination 127.0.0.1 is blocked: the app's own port (PORT) on an internal address, which OUTBOUND_ALLOW_CIDRS does not open`,
    });
    expect(rows.find((r) => r.source_id === other.id)).toMatchObject({ status: 'succeeded' });
    expect(appPortReceiver.requests()).toHaveLength(0);
    expect(receiver.requests()).toHaveLength(1);
  });

  it("the connection test refuses the database's port, by host name and by literal address", async () => {
    const admin = await createTestUser('admin');
    const dbPort = Number(new URL(process.env.DATABASE_URL ?? '').port);
    await expect(createTestSource(`http://127.0.0.1:${dbPort}`)).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(/^base_url: destination 127\.0\.0\.1 is blocked: the database's port/),
    });
    const source = await createTestSource(`http://localhost:${dbPort}`);
    const test = () =>
      callRoute(sourceTest.POST, { method: 'POST', params: { id: source.id }, auth: { session: admin } });
    const expected = (host: RegExp) => ({
      ok: false,
      status: 'unreachable',
      http_status: null,
      latency_ms: null,
      error_code: 'destination_blocked',
      error: expect.stringMatching(
        new RegExp(`^destination ${host.source} is blocked: the database's port \\(DATABASE_URL\\)`),
      ),
    });
    const byName = await test();
    expect(byName.status).toBe(200);
    expect(byName.body).toEqual(expected(/localhost \((127\.0\.0\.1|::1)\)/));
    // As if saved before the guard existed: the connect-time check still holds.
    await getDb()
      .updateTable('sources')
      .set({ base_url: `http://127.0.0.1:${dbPort}` })
      .where('id', '=', source.id)
      .execute();
    const byLiteral = await test();
    expect(byLiteral.body).toEqual(expected(/127\.0\.0\.1/));
  });
});
