import type { Logger } from 'pino';
import { CONTENT_TYPES, EXTENSIONS, type ExportFormat, type Serializer } from './format';

/** Rows per database read: large enough that a read costs little per row, small enough to stay flat in memory. */
export const EXPORT_BATCH_ROWS = 1000;

/**
 * Pages of `limit` rows read on a key: each read starts after the key of the previous page's last
 * row, so every page costs the same however deep it is and no connection is held between pages.
 */
export async function* keysetPages<R, K>(
  limit: number,
  read: (after: K | undefined) => Promise<R[]>,
  keyOf: (last: R) => K,
): AsyncGenerator<R[]> {
  let after: K | undefined;
  for (;;) {
    const rows = await read(after);
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (!last || rows.length < limit) return;
    after = keyOf(last);
  }
}

/** `sync-tasks-20261207T051449Z.csv`: what it is and when it was taken, safe in any file system. */
export function exportFilename(name: string, format: ExportFormat, at = new Date()): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${name}-${stamp}.${EXTENSIONS[format]}`;
}

/**
 * A streamed download of `batches` (keyset pages read one at a time). The first page is read
 * before the answer starts, so a failure then is still a JSON error with its status. Each later
 * page is read only when the client has taken the previous one (the stream's pull), so a slow
 * reader holds one page in memory and no database connection between pages; a client that goes
 * away ends the reading. A failure after the first byte aborts the response: the client sees a
 * connection closed before the end of a chunked body (curl exits 18, fetch rejects while reading),
 * never a file that looks complete.
 */
export async function exportResponse<T>(options: {
  format: ExportFormat;
  filename: string;
  serializer: Serializer<T>;
  batches: AsyncGenerator<T[]>;
  log: Logger;
}): Promise<Response> {
  const { batches, serializer, log } = options;
  const first = await batches.next();
  const encoder = new TextEncoder();
  let started = false;
  let rows = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!started) {
            started = true;
            const page = first.done ? [] : first.value;
            rows += page.length;
            const text = serializer.header() + serializer.rows(page);
            if (text) controller.enqueue(encoder.encode(text));
            if (first.done) controller.close();
            return;
          }
          const next = await batches.next();
          if (next.done) return controller.close();
          rows += next.value.length;
          controller.enqueue(encoder.encode(serializer.rows(next.value)));
        } catch (err) {
          log.error({ err, rows, filename: options.filename }, 'export failed after it started: response aborted');
          controller.error(err);
        }
      },
      async cancel() {
        await batches.return(undefined);
      },
    },
    // One page ahead of the client at most.
    { highWaterMark: 1 },
  );
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPES[options.format],
      'content-disposition': `attachment; filename="${options.filename}"`,
    },
  });
}
