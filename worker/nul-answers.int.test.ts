import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sourceTest from '@/app/api/v1/sources/[id]/test/route';
import * as testRoute from '@/app/api/v1/webhooks/[id]/test/route';
import * as webhooksRoute from '@/app/api/v1/webhooks/route';
import { getDb } from '@/lib/db';
import { stopSender } from '@/lib/queue/sender';
import { callRoute, createTestUser, type TestUser } from '@/test/fixtures';
import {
  createPostingWithHired,
  createTestSource,
  startSyncOf,
  type TestWorker,
  startTestWorker,
  waitFor,
  waitForRunFinished,
} from '@/test/sync-harness';

// The first attempt is the last: a webhook delivery must end (failed), not wait for retries.
process.env.WEBHOOK_MAX_ATTEMPTS = '1';

// PostgreSQL text cannot hold NUL and jsonb no lone surrogate either; a receiver can send both.
const RAW = Buffer.from('\u0000\u0001PK\u0003 bad \u0000 answer', 'latin1');
const JSON_ITEMS = (ids: string[]) =>
  JSON.stringify({ results: ids.map((id) => ({ id, status: 'rejected', error: 'bad\u0000item\ud800' })) });

let worker: TestWorker;
let receiver: http.Server;
let url: string;
let admin: TestUser;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/batch') {
        const { candidates } = JSON.parse(Buffer.concat(chunks).toString()) as { candidates: { id: string }[] };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON_ITEMS(candidates.map((c) => c.id)));
        return;
      }
      res.writeHead(req.url === '/hook-500' ? 500 : 400, { 'content-type': 'application/octet-stream' });
      res.end(RAW);
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  worker = await startTestWorker();
  admin = await createTestUser('admin');
});

afterAll(async () => {
  await worker?.stop();
  await stopSender();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
});

const SANITISED = 'HTTP 400: \uFFFD\u0001PK\u0003 bad \uFFFD answer';

describe('answers with NUL bytes and lone surrogates are recorded sanitised', () => {
  it('a completion webhook endpoint answering them: each delivery ends failed with the text kept', async () => {
    for (const [path, status] of [
      ['/hook-400', 400],
      ['/hook-500', 500],
    ] as const) {
      const created = await callRoute(webhooksRoute.POST, {
        method: 'POST',
        auth: { session: admin },
        body: { name: `nul ${path}`, url: `${url}${path}`, events: ['sync.completed'] },
      });
      expect(created.status).toBe(201);
      const sent = await callRoute(testRoute.POST, {
        method: 'POST',
        params: { id: created.body.id },
        auth: { session: admin },
      });
      expect(sent.status).toBe(202);
      const delivery = await waitFor(`webhook delivery to ${path} to fail`, () =>
        getDb()
          .selectFrom('webhook_deliveries')
          .selectAll()
          .where('id', '=', sent.body.delivery_id)
          .where('status', '=', 'failed')
          .executeTakeFirst(),
      );
      expect(delivery).toMatchObject({
        attempts: 1,
        http_status: status,
        last_error: SANITISED.replace('400', String(status)),
      });
      const endpoint = await getDb()
        .selectFrom('webhook_endpoints')
        .select('last_error')
        .where('id', '=', created.body.id)
        .executeTakeFirstOrThrow();
      expect(endpoint.last_error).toBe(delivery.last_error);
    }
  });

  it('a source answering them: the connection test, the deliveries and batch item errors are recorded', async () => {
    const source = await createTestSource(url, { sync_endpoint: '/raw' });
    const tested = await callRoute(sourceTest.POST, {
      method: 'POST',
      auth: { session: admin },
      params: { id: source.id },
    });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ ok: false, status: 'degraded', http_status: 400, error: SANITISED });
    const health = await getDb()
      .selectFrom('sources')
      .select(['health_status', 'health_error'])
      .where('id', '=', source.id)
      .executeTakeFirstOrThrow();
    expect(health).toEqual({ health_status: 'degraded', health_error: SANITISED });

    const batch = await createTestSource(url, { connector: 'rest_batch', sync_endpoint: '/batch' });
    const posting = await createPostingWithHired(2);
    const run = await waitForRunFinished(await startSyncOf(posting.slug, [source.id, batch.id]));
    expect(run).toMatchObject({ status: 'failed', failed: 4 });
    const deliveries = await getDb().selectFrom('sync_deliveries').selectAll().where('run_id', '=', run.id).execute();
    for (const d of deliveries.filter((x) => x.source_id === source.id)) {
      expect(d).toMatchObject({ status: 'failed', http_status: 400, error_code: 'rejected', error_message: SANITISED });
      expect(d.response_excerpt).toBe(SANITISED.slice('HTTP 400: '.length));
    }
    for (const d of deliveries.filter((x) => x.source_id === batch.id)) {
      expect(d).toMatchObject({ status: 'failed', error_code: 'item_rejected', error_message: 'bad\uFFFDitem\uFFFD' });
    }
  });
});
