import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { insertSource } from '@/test/sync-history-fixtures';
import { waitFor } from '@/test/sync-harness';
import { leaseSlots, SOURCE_SLOTS_WANTED_CHANNEL } from './limits-repository';

// Migration 034: a worker kept below its fair share of a source's slots by another that holds
// more tells the holders (NOTIFY), who lease again at once and are capped to the fair share.
const TTL_MS = 10_000;
let listener: pg.Client;
const heard: string[] = [];

beforeAll(async () => {
  listener = new pg.Client({ connectionString: getEnv().DATABASE_URL });
  listener.on('notification', (n) => {
    if (n.channel === SOURCE_SLOTS_WANTED_CHANNEL && n.payload) heard.push(n.payload);
  });
  await listener.connect();
  await listener.query(`listen ${SOURCE_SLOTS_WANTED_CHANNEL}`);
});

afterAll(async () => {
  await listener.end();
});

/** Everything notified before this call has arrived once its own marker has (commit order). */
async function heardSoFar(sourceId: string): Promise<string[]> {
  const marker = `${sourceId} marker-${heard.length}-${Math.random().toString(36).slice(2)}`;
  await sql`select pg_notify(${SOURCE_SLOTS_WANTED_CHANNEL}, ${marker})`.execute(getDb());
  await waitFor('the marker notification', async () => heard.includes(marker));
  return heard.filter((h) => h.startsWith(`${sourceId} `) && !h.includes(' marker-'));
}

describe('slot handover between workers', () => {
  it('the worker that took every slot alone hears of the one left without, and keeps only its fair share', async () => {
    const sourceId = await insertSource(`handover-${Math.random().toString(36).slice(2, 8)}`);
    await getDb().updateTable('sources').set({ max_concurrency: 4 }).where('id', '=', sourceId).execute();
    const db = getDb();

    // Alone, worker A is given all four.
    expect((await leaseSlots(db, sourceId, 'worker-a', 4, 0, TTL_MS)).granted).toBe(4);
    expect(await heardSoFar(sourceId)).toEqual([]);

    // B gets none while A holds them: the holders are told, with B's id.
    expect((await leaseSlots(db, sourceId, 'worker-b', 4, 0, TTL_MS)).granted).toBe(0);
    expect(await heardSoFar(sourceId)).toEqual([`${sourceId} worker-b`]);

    // A leases again (as it does on hearing it): capped to half, and that is its share, so no
    // notification from A. Two of its requests are still out: it holds them until answered.
    const a = await leaseSlots(db, sourceId, 'worker-a', 4, 2, TTL_MS);
    expect(a).toMatchObject({ granted: 2, held: 2 });
    expect(await heardSoFar(sourceId)).toEqual([`${sourceId} worker-b`]);

    // B now gets the other half; neither holds more than its share, so nobody is told again.
    expect((await leaseSlots(db, sourceId, 'worker-b', 4, 0, TTL_MS)).granted).toBe(2);
    expect((await leaseSlots(db, sourceId, 'worker-a', 4, 2, TTL_MS)).granted).toBe(2);
    expect(await heardSoFar(sourceId)).toEqual([`${sourceId} worker-b`]);
  });

  it('a paused source tells nobody: nobody may send', async () => {
    const sourceId = await insertSource(`handover-paused-${Math.random().toString(36).slice(2, 8)}`);
    const db = getDb();
    await db.updateTable('sources').set({ max_concurrency: 2 }).where('id', '=', sourceId).execute();
    expect((await leaseSlots(db, sourceId, 'worker-a', 2, 0, TTL_MS)).granted).toBe(2);
    await db
      .insertInto('source_pauses')
      .values({ source_id: sourceId, paused_until: new Date(Date.now() + 3600_000), reason: 'test' })
      .execute();
    const b = await leaseSlots(db, sourceId, 'worker-b', 2, 0, TTL_MS);
    expect(b.granted).toBe(0);
    expect(b.pausedUntil).not.toBeNull();
    expect(await heardSoFar(sourceId)).toEqual([]);
  });
});
