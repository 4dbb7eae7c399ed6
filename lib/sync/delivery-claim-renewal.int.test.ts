import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getKeyring } from '@/lib/crypto/secret-box';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { closeAgents } from '@/lib/http/outbound-client';
import { deliverQueues } from '@/lib/queue/queues';
import { getSender, stopSender } from '@/lib/queue/sender';
import { loadSourceConfigs } from '@/lib/sources/service';
import {
  createPostingWithHired,
  createTestSource,
  startSyncOf,
  waitFor,
  waitForRunFinished,
} from '@/test/sync-harness';
import { createSourceAuthorizer } from './connectors/authorize';
import { createDeliveryEngine } from './delivery-engine';
import { expandRun } from './fan-out';

// The receiver counts each delivery's requests, and holds them all while `holding`: the one request
// in flight then keeps the source's only slot, and the rest of the batch waits for it.
const arrivals = new Map<string, number>();
let holding = false;
const held: http.ServerResponse[] = [];
const answer = (res: http.ServerResponse) => res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
const server = http.createServer((req, res) => {
  const id = String(req.headers['x-ats-delivery-id']);
  arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
  req.resume();
  req.on('end', () => (holding ? held.push(res) : answer(res)));
});
function releaseAll() {
  holding = false;
  for (const res of held.splice(0)) answer(res);
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

beforeEach(() => {
  arrivals.clear();
  holding = true;
});

afterAll(async () => {
  releaseAll();
  await closeAgents();
  await stopSender();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Two workers' engines on one database; the warnings they log are kept. */
async function twoWorkers(a: { leaseSeconds: number; renewEveryMs?: number }) {
  const boss = await getSender();
  const warnings: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
  const ctx = (workerId: string) => ({
    db: getDb(),
    boss,
    log,
    workerId,
    retryDelaySeconds: 0,
    queues: deliverQueues(boss, getEnv()),
    authorizer: createSourceAuthorizer({ db: getDb(), keyring: getKeyring(), log }),
  });
  return {
    ctx,
    a: createDeliveryEngine({ ...ctx('lease-a'), ...a }),
    b: createDeliveryEngine(ctx('lease-b')),
    warnings,
  };
}

/** A run of four deliveries to a source with one slot, written but left to the test to deliver. */
async function fourDeliveries(ctx: Parameters<typeof expandRun>[0]) {
  const { port } = server.address() as AddressInfo;
  // A timeout far longer than the test holds a request: the held request must not time out.
  const source = await createTestSource(`http://127.0.0.1:${port}`, { max_concurrency: 1, timeout_ms: 30_000 });
  const posting = await createPostingWithHired(4);
  const runId = await startSyncOf(posting.slug, [source.id]);
  expect(await expandRun(ctx, runId)).toEqual({ total: 4, pending: 4 });
  const ids = (await getDb().selectFrom('sync_deliveries').select('id').where('run_id', '=', runId).execute()).map(
    (d) => d.id,
  );
  const [config] = await loadSourceConfigs(getDb(), [source.id]);
  return { runId, ids, config };
}

const lockedBy = async (workerId: string, ids: string[]) =>
  (
    await getDb()
      .selectFrom('sync_deliveries')
      .select('id')
      .where('id', 'in', ids)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'pending')
      .execute()
  ).length;

/** Each delivery reached the receiver exactly once, and the run ended with all four recorded as sent. */
async function sentOnceAndRecorded(runId: string, ids: string[]) {
  expect(Object.fromEntries(ids.map((id) => [id, arrivals.get(id) ?? 0]))).toEqual(
    Object.fromEntries(ids.map((id) => [id, 1])),
  );
  const rows = await getDb().selectFrom('sync_deliveries').select('status').where('run_id', '=', runId).execute();
  expect(rows.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  expect(await waitForRunFinished(runId)).toMatchObject({ status: 'completed', succeeded: 4 });
}

describe('a batch that waits for the source slots longer than its claim lease', () => {
  it('keeps its claim: a second worker given the same deliveries sends none of them; each is sent once', async () => {
    const w = await twoWorkers({ leaseSeconds: 2 });
    const { runId, ids, config } = await fourDeliveries(w.ctx('lease-setup'));
    const processA = w.a.process(config, [{ runId, deliveryIds: ids }]);
    await waitFor('the first request of the batch at the receiver', async () => arrivals.size === 1);
    // The claim is twice its lease old: without renewal, any worker may take it now.
    await waitFor('the claim to be twice its lease old', async () => {
      const { rows } = await sql<{ old: boolean }>`
        select bool_and(started_at < now() - interval '4 seconds') as old from sync_deliveries where id = any(${ids}::uuid[])
      `.execute(getDb());
      return rows[0].old;
    });
    // Another worker's job for the same deliveries (a recheck): it claims what it can.
    let bDone = false;
    const processB = w.b.process(config, [{ runId, deliveryIds: ids }]).finally(() => {
      bDone = true;
    });
    await waitFor(
      'the other worker to have claimed (or given up)',
      async () => bDone || (await lockedBy('lease-b', ids)) > 0,
    );
    releaseAll();
    await Promise.all([processA, processB]);
    await Promise.all([w.a.stop(), w.b.stop()]);
    await sentOnceAndRecorded(runId, ids);
  }, 120_000);

  it('sends nothing whose claim was lost: the worker that took it sends it, once', async () => {
    // The renewal comes later than the lease runs out, as a stalled worker's would.
    const w = await twoWorkers({ leaseSeconds: 1, renewEveryMs: 2_500 });
    const { runId, ids, config } = await fourDeliveries(w.ctx('lease-setup'));
    const processA = w.a.process(config, [{ runId, deliveryIds: ids }]);
    await waitFor('the first request of the batch at the receiver', async () => arrivals.size === 1);
    const inFlight = [...arrivals.keys()][0];
    const waiting = ids.filter((id) => id !== inFlight);
    await waitFor('the claim on the waiting deliveries to run out', async () => {
      const { rows } = await sql<{ out: boolean }>`
        select bool_and(held_until < now()) as out from sync_deliveries where id = any(${waiting}::uuid[])
      `.execute(getDb());
      return rows[0].out;
    });
    const processB = w.b.process(config, [{ runId, deliveryIds: waiting }]);
    await waitFor(
      'the other worker to claim the waiting deliveries',
      async () => (await lockedBy('lease-b', waiting)) === 3,
    );
    // The first worker's renewal keeps the delivery in flight and finds the others gone.
    await waitFor('the first worker to renew its claim', async () => {
      const { rows } = await sql<{ renewed: boolean }>`
        select held_until > started_at + interval '2 seconds' as renewed from sync_deliveries where id = ${inFlight}
      `.execute(getDb());
      return rows[0].renewed;
    });
    releaseAll();
    await Promise.all([processA, processB]);
    await Promise.all([w.a.stop(), w.b.stop()]);
    await sentOnceAndRecorded(runId, ids);
    const lost = w.warnings.map((l) => JSON.parse(l)).find((l) => String(l.msg).startsWith('claim on deliveries lost'));
    expect([...lost.deliveryIds].sort()).toEqual([...waiting].sort());
  }, 120_000);
});
