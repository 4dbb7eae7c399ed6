import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, setLogger } from '@/lib/logger';
import { type MockSource, startMockSource } from '@/scripts/mock-source/server';
import { stopSender } from '@/lib/queue/sender';
import {
  createPostingWithHired,
  createTestSource,
  startSyncOf,
  startTestWorker,
  type TestWorker,
  waitForRunFinished,
} from '@/test/sync-harness';

const logLines: string[] = [];
let mock: MockSource;
let worker: TestWorker;

beforeAll(async () => {
  // What the worker logs goes through the real logger into memory.
  setLogger(
    createLogger(
      { LOG_LEVEL: 'info', LOG_FILE: undefined, LOG_FILE_SIZE: '10m', LOG_FILE_FREQUENCY: 'daily' },
      { write: (line: string) => void logLines.push(line) },
    ),
  );
  mock = await startMockSource();
  worker = await startTestWorker();
});

afterAll(async () => {
  await worker?.stop();
  await stopSender();
  await mock?.close();
});

describe('the delivery log', () => {
  it('says retry for an attempt that will be retried and failed for the last one', async () => {
    mock.configure({ path: '/always-503', mode: 'status', fail_status: 503 });
    const source = await createTestSource(mock.url, { sync_endpoint: '/always-503', max_attempts: 2 });
    const posting = await createPostingWithHired(1);
    const runId = await startSyncOf(posting.slug, [source.id]);
    expect(await waitForRunFinished(runId)).toMatchObject({ status: 'failed', failed: 1 });
    const attempts = logLines
      .map((line) => JSON.parse(line) as { runId?: string; attempt?: number; outcome?: string; msg: string })
      .filter((l) => l.runId === runId && l.attempt !== undefined)
      .map((l) => ({ attempt: l.attempt, outcome: l.outcome, msg: l.msg }));
    expect(attempts).toEqual([
      { attempt: 1, outcome: 'retry', msg: 'delivery will be retried' },
      { attempt: 2, outcome: 'failed', msg: 'delivery failed' },
    ]);
  });
});
