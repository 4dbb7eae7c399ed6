import type { PgBoss } from 'pg-boss';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { generateSigningSecret } from '@/lib/http/webhook-secret';
import { stopSender } from '@/lib/queue/sender';
import { startSync } from '@/lib/sync/service';
import type { CreatedWebhookEndpoint, WebhookEvent } from '@/lib/webhooks/schemas';
import { createWebhook, sendTestEvent } from '@/lib/webhooks/service';
import { type MockRequest, type MockSource, startMockSource, verifySignature } from '@/scripts/mock-source/server';
import {
  type TestWorker,
  createPostingWithHired,
  createTestSource,
  startTestSender,
  startTestWorker,
  waitFor,
  waitForRunFinished,
} from '@/test/sync-harness';

/**
 * Our real requests (source deliveries and completion webhooks, sent by the real worker to a
 * receiver on 127.0.0.1) verified with the `standardwebhooks` package, the reference library of
 * standardwebhooks.com, as a receiver would verify them.
 */

// Real backoff, kept short, for the retry below.
process.env.WEBHOOK_RETRY_DELAY_SECONDS = '1';
process.env.WEBHOOK_MAX_ATTEMPTS = '3';

const actor = systemActor('test');
let mock: MockSource;
let worker: TestWorker;
let sender: PgBoss;

beforeAll(async () => {
  mock = await startMockSource();
  worker = await startTestWorker();
  sender = await startTestSender();
});

afterAll(async () => {
  await worker?.stop();
  await sender?.stop({ graceful: false });
  await stopSender();
  await mock?.close();
});

async function endpoint(path: string, signing_mode?: 'standard' | 'legacy'): Promise<CreatedWebhookEndpoint> {
  return createWebhook(getDb(), actor, {
    name: `hook ${path}`,
    url: `${mock.url}${path}`,
    events: ['sync.completed'],
    ...(signing_mode ? { signing_mode } : {}),
  });
}

/** Syncs `hired` new hires to the source; answers the run and its completion event's requests at `hookPath`. */
async function syncTo(sourceId: string, hookPath: string, hired = 2) {
  const posting = await createPostingWithHired(hired);
  const { task_id } = await startSync(getDb(), sender, actor, {
    slug: posting.slug,
    source_ids: [sourceId],
    force: false,
  });
  const run = await waitForRunFinished(task_id);
  const announced = await waitFor(`the completion event of ${task_id}`, async () => {
    const got = mock
      .requests({ path: hookPath })
      .filter((r) => (r.json as WebhookEvent).data.task_id === task_id && r.status === 200);
    return got.length > 0 && got;
  });
  return { run, announced };
}

const verified = (secret: string, r: MockRequest, options?: { format: 'raw' }) =>
  new Webhook(secret, options).verify(r.body, r.headers);

describe('standard mode (new sources and endpoints)', () => {
  it('signs source deliveries and completion webhooks so the standardwebhooks package verifies them', async () => {
    const sourceSecret = generateSigningSecret();
    const source = await createTestSource(mock.url, { sync_endpoint: '/std/source', signing_secret: sourceSecret });
    expect(source.signing_mode).toBe('standard');
    const hook = await endpoint('/std/hook');
    expect(hook.signing_mode).toBe('standard');

    const { run, announced } = await syncTo(source.id, '/std/hook');
    expect(run.status).toBe('completed');

    const deliveries = mock.requests({ path: '/std/source' });
    expect(deliveries).toHaveLength(2);
    for (const r of deliveries) {
      expect(verified(sourceSecret, r)).toEqual(r.json);
      // The delivery is the message: the same id on each of its retries.
      expect(r.headers['webhook-id']).toBe(r.headers['x-ats-delivery-id']);
      expect(r.headers['x-ats-signature']).toBeUndefined();
      expect(() => verified(hook.secret, r)).toThrow('No matching signature found');
    }

    const [event] = announced;
    expect(verified(hook.secret, event)).toEqual(event.json);
    expect(event.headers['webhook-id']).toBe((event.json as WebhookEvent).id);
    expect(event.headers['x-ats-signature']).toBeUndefined();
    expect(() => verified(sourceSecret, event)).toThrow('No matching signature found');
  });

  it('gives a request whose timestamp is more than 5 minutes away, as a replay would have, to be refused', async () => {
    const hook = await endpoint('/std/replayed');
    const { delivery_id } = await sendTestEvent(getDb(), sender, actor, hook.id);
    const [request] = await waitFor('the test event', async () => {
      const got = mock.requests({ path: '/std/replayed' });
      return got.length > 0 && got;
    });
    expect(request.headers['x-ats-delivery-id']).toBe(delivery_id);
    expect(verified(hook.secret, request)).toEqual(request.json);
    const sentAt = Number(request.headers['webhook-timestamp']) * 1000;
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(sentAt + 6 * 60_000);
      expect(() => verified(hook.secret, request)).toThrow('Message timestamp too old');
      vi.setSystemTime(sentAt - 6 * 60_000);
      expect(() => verified(hook.secret, request)).toThrow('Message timestamp too new');
      vi.setSystemTime(sentAt + 4 * 60_000);
      expect(verified(hook.secret, request)).toEqual(request.json);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps webhook-id across the retries of a completion webhook, each attempt signed anew', async () => {
    const hook = await endpoint('/std/flaky');
    mock.configure({ path: '/std/flaky', fail_next: 1, fail_status: 503 });
    const { event_id } = await sendTestEvent(getDb(), sender, actor, hook.id);
    const attempts = await waitFor('a failed attempt and its retry', async () => {
      const got = mock.requests({ path: '/std/flaky' });
      return got.some((r) => r.status === 200) && got;
    });
    expect(attempts.map((r) => r.status)).toEqual([503, 200]);
    for (const r of attempts) {
      expect(r.headers['webhook-id']).toBe(event_id);
      expect(verified(hook.secret, r)).toEqual(r.json);
    }
  });
});

describe('legacy mode (sources and endpoints from before Standard Webhooks)', () => {
  it('keeps X-ATS-Signature as documented and adds the standard headers keyed with the same secret', async () => {
    // A secret of the old rules (any text of 16+ characters), as existing sources have.
    const sourceSecret = 'an-existing-receivers-secret_0123';
    const source = await createTestSource(mock.url, {
      sync_endpoint: '/old/source',
      signing_secret: sourceSecret,
      signing_mode: 'legacy',
    });
    const hook = await endpoint('/old/hook', 'legacy');
    expect(hook.signing_mode).toBe('legacy');

    const { announced } = await syncTo(source.id, '/old/hook', 1);
    const requests = [...mock.requests({ path: '/old/source' }), ...announced];
    expect(requests).toHaveLength(2);
    for (const [r, secret] of [
      [requests[0], sourceSecret],
      [requests[1], hook.secret],
    ] as const) {
      expect(r.headers['x-ats-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
      expect(verifySignature(secret, r.headers['x-ats-timestamp'], r.body, r.headers['x-ats-signature'])).toBe(true);
      expect(r.headers['webhook-timestamp']).toBe(r.headers['x-ats-timestamp']);
      // What a receiver moving to a Standard Webhooks library verifies with, before the mode changes.
      expect(verified(secret, r, { format: 'raw' })).toEqual(r.json);
    }
  });
});
