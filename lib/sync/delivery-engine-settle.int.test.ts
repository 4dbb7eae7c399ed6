import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKeyring } from '@/lib/crypto/secret-box';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { closeAgents } from '@/lib/http/outbound-client';
import { getLogger } from '@/lib/logger';
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
import { expandRunChunk } from './fan-out';

// The receiver answers a delivery only once its batch's turn has come (see `turn`).
const turnOf = new Map<string, number>();
let turn = 0;
const waiting: { id: string; res: http.ServerResponse }[] = [];
const answer = (res: http.ServerResponse) => res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const id = String(req.headers['x-ats-delivery-id']);
    if ((turnOf.get(id) ?? 0) <= turn) answer(res);
    else waiting.push({ id, res });
  });
});
function nextTurn() {
  turn += 1;
  for (const w of waiting.splice(0)) {
    if ((turnOf.get(w.id) ?? 0) <= turn) answer(w.res);
    else waiting.push(w);
  }
}

// Statements that ask whether a run has finished (settleRun's first look), as they reach the database.
let finishChecks = 0;
const countFinishChecks: KyselyPlugin = {
  transformQuery({ node }: { node: RootOperationNode }) {
    if (node.kind === 'RawNode' && node.sqlFragments.join('').includes('r.expanded_at is null')) finishChecks += 1;
    return node;
  },
  transformResult: async ({ result }) => result,
};

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await closeAgents();
  await stopSender();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('asking whether a run finished', () => {
  it('is left to the last of the batches of a run in flight in the worker, which finishes the run', async () => {
    const { port } = server.address() as AddressInfo;
    const source = await createTestSource(`http://127.0.0.1:${port}`, { max_concurrency: 8, batch_size: 10 });
    const posting = await createPostingWithHired(6);
    const runId = await startSyncOf(posting.slug, [source.id]);
    const boss = await getSender();
    const db = getDb().withPlugin(countFinishChecks);
    const ctx = {
      db,
      boss,
      log: getLogger(),
      workerId: 'test-settle',
      retryDelaySeconds: 0,
      queues: deliverQueues(boss, getEnv()),
      authorizer: createSourceAuthorizer({ db, keyring: getKeyring(), log: getLogger() }),
    };
    // The whole run written (no worker takes its jobs here): this test hands its deliveries to the engine.
    expect(await expandRunChunk(ctx, runId, 100)).toMatchObject({ inserted: 6, done: true });
    const ids = (await getDb().selectFrom('sync_deliveries').select('id').where('run_id', '=', runId).execute()).map(
      (d) => d.id,
    );
    const batches = [ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)];
    batches.forEach((batch, i) => {
      for (const id of batch) turnOf.set(id, i);
    });
    const [config] = await loadSourceConfigs(getDb(), [source.id]);
    // Counters refreshed only for the first batch: whatever else asks, asks to finish the run.
    const engine = createDeliveryEngine({ ...ctx, touchEveryMs: 3_600_000 });
    finishChecks = 0;
    const processed = batches.map((deliveryIds) => engine.process(config, [{ runId, deliveryIds }]));
    const recorded = (batch: string[]) => async () =>
      (await getDb().selectFrom('sync_deliveries').select('status').where('id', 'in', batch).execute()).every(
        (d) => d.status === 'succeeded',
      );
    // Batch 1 records first (and refreshes the counters, due for a run seen the first time), batch 2
    // while batch 3 is still out: it leaves the question to batch 3, which records last. Batch 3
    // holds the run from its claim on: on a busy machine its claim can come after batch 2's turn,
    // so the turns wait for every batch's claim (attempts counted) first.
    await waitFor('every batch claimed', async () =>
      (await getDb().selectFrom('sync_deliveries').select('attempts').where('id', 'in', ids).execute()).every(
        (d) => d.attempts >= 1,
      ),
    );
    await waitFor('batch 1 recorded', recorded(batches[0]));
    nextTurn();
    await waitFor('batch 2 recorded', recorded(batches[1]));
    nextTurn();
    await Promise.all(processed);
    await engine.stop();
    expect((await waitForRunFinished(runId)).status).toBe('completed');
    expect(finishChecks).toBe(2);
  });
});
