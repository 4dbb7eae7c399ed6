import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAtsSyncClient } from '@/client';
import { stopSender } from '@/lib/queue/sender';
import { type ApiServer, startApiServer } from '@/test/api-server';
import { type FakeBambooHr, startFakeBambooHr } from '@/test/fakes/bamboohr';
import { createTestToken, createTestUser } from '@/test/fixtures';
import { createPostingWithHired, createTestSource, startTestWorker, type TestWorker } from '@/test/sync-harness';
import { createBambooHrSource } from './create-bamboohr-source';
import { retryFailures, syncPosting } from './sync-a-posting';

/**
 * The README's TypeScript examples, run as written (the typed client, openapi-fetch) against the
 * route handlers on 127.0.0.1, a real worker, the BambooHR fake and a receiver that fails until told.
 */
let api: ApiServer;
let worker: TestWorker;
let bamboo: FakeBambooHr;
let receiver: Server;
let receiverFails = true;
let receiverUrl: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      receiverFails
        ? res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"down for maintenance"}')
        : res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
    );
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  api = await startApiServer();
  worker = await startTestWorker();
  bamboo = await startFakeBambooHr();
});

afterAll(async () => {
  await worker?.stop();
  await api?.close();
  await bamboo?.close();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  await stopSender();
});

describe('the README examples', () => {
  it('create a BambooHR source, sync a posting and follow it, then retry its failures', async () => {
    const admin = await createTestUser('admin');
    const client = createAtsSyncClient({ baseUrl: api.url, token: await createTestToken(admin) });

    const { source, test } = await createBambooHrSource(client, {
      companyDomain: bamboo.companyDomain,
      apiKey: bamboo.apiKey,
      baseUrl: bamboo.baseUrl,
    });
    expect(source.connector).toBe('bamboohr');
    expect(source.auth.secret_set).toBe(true);
    expect(test?.ok).toBe(true);

    await createTestSource(receiverUrl, { name: 'Payroll receiver', max_attempts: 1 });
    const job = await createPostingWithHired(2);
    const run = await syncPosting(client, job.slug, { intervalMs: 100 });
    expect(run.status).toBe('partially_failed');
    expect(run.progress).toMatchObject({ succeeded: 2, failed: 2 });
    expect(bamboo.employees.size).toBe(2);

    receiverFails = false;
    const retried = await retryFailures(client, run.task_id, { intervalMs: 100 });
    expect(retried.status).toBe('completed');
    expect(retried.progress).toMatchObject({ succeeded: 4, failed: 0 });
  });
});
