import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './api-types';

export type { components, operations, paths };

/** Every refusal of the API: `{ "error": { "code", "message", "details"? } }`. */
export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };

export type AtsSyncClient = Client<paths>;

/**
 * A typed client for scripts: paths, parameters, bodies and answers come from the OpenAPI document
 * (client/api-types.ts), so a wrong field is a type error. `baseUrl` is the app's address; `token`
 * an API token (Settings → API tokens).
 */
export function createAtsSyncClient(options: { baseUrl: string; token: string; fetch?: typeof fetch }): AtsSyncClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

const FINISHED = new Set(['completed', 'partially_failed', 'failed', 'cancelled']);

/**
 * Polls a run's status until it is over (completed, partially_failed, failed or cancelled), sending
 * the last ETag so an unchanged run costs a 304. Calls `onProgress` with each new state.
 */
export async function waitForRun(
  client: AtsSyncClient,
  taskId: string,
  options: { intervalMs?: number; onProgress?: (status: components['schemas']['RunStatus']) => void } = {},
): Promise<components['schemas']['RunStatus']> {
  let etag: string | undefined;
  let last: components['schemas']['RunStatus'] | undefined;
  for (;;) {
    const { data, error, response } = await client.GET('/api/v1/sync-tasks/{taskId}/status', {
      params: { path: { taskId } },
      headers: etag ? { 'if-none-match': etag } : {},
    });
    if (error) throw new Error(`${error.error.code}: ${error.error.message}`);
    if (response.status !== 304 && data) {
      last = data;
      etag = response.headers.get('etag') ?? undefined;
      options.onProgress?.(data);
    }
    if (last && FINISHED.has(last.status)) return last;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 2000));
  }
}
