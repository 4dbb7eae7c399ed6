import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { exportFilename, exportResponse } from './export-response';
import { createSerializer } from './format';

const log = pino({ level: 'silent' });
const serializer = createSerializer<number>('csv', [{ header: 'n', value: (n) => n }], (n) => n);

/** A source of `pages` pages of two rows that counts what was read and whether it was stopped. */
function pagesOf(pages: number) {
  const seen = { read: 0, stopped: false };
  async function* batches() {
    try {
      for (let p = 0; p < pages; p++) {
        seen.read += 1;
        yield [p * 2, p * 2 + 1];
      }
    } finally {
      seen.stopped = true;
    }
  }
  return { seen, batches: batches() };
}

/** Until nothing more is pending: each page is read in its own turn of the event loop. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

describe('exportResponse', () => {
  it('reads a page only when the client has taken the one before (at most one page ahead)', async () => {
    const { seen, batches } = pagesOf(1000);
    const res = await exportResponse({ format: 'csv', filename: 'x.csv', serializer, batches, log });
    // The first page is read before the answer starts.
    expect(seen.read).toBe(1);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await settle();
    expect(seen.read).toBeLessThanOrEqual(2);
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('n\r\n0\r\n1\r\n');
    await reader.read();
    await settle();
    expect(seen.read).toBeLessThanOrEqual(3);
    // A client that goes away stops the reading.
    await reader.cancel();
    expect(seen.stopped).toBe(true);
    expect(seen.read).toBeLessThanOrEqual(3);
  });

  it('writes the header alone when nothing matches, and every row otherwise', async () => {
    const empty = await exportResponse({
      format: 'csv',
      filename: 'x.csv',
      serializer,
      batches: pagesOf(0).batches,
      log,
    });
    expect(await empty.text()).toBe('n\r\n');
    const three = await exportResponse({
      format: 'csv',
      filename: 'x.csv',
      serializer,
      batches: pagesOf(3).batches,
      log,
    });
    expect(await three.text()).toBe('n\r\n0\r\n1\r\n2\r\n3\r\n4\r\n5\r\n');
  });

  it('fails before the answer starts when the first read fails, so the route can still answer a JSON error', async () => {
    async function* broken(): AsyncGenerator<number[]> {
      yield* [];
      throw new Error('database down');
    }
    await expect(
      exportResponse({ format: 'csv', filename: 'x.csv', serializer, batches: broken(), log }),
    ).rejects.toThrow('database down');
  });

  it('names the file by what it holds and when, in UTC, without characters a file system refuses', () => {
    expect(exportFilename('audit-trail', 'jsonl', new Date('2026-12-07T05:14:49.123Z'))).toBe(
      'audit-trail-20261207T051449Z.jsonl',
    );
  });
});
