/**
 * The bench talks to the product as a user's script would: over its HTTP API with an admin token.
 * Seeding (sources, postings with hired candidates), starting a sync and following it.
 */
import type { RunStatus } from '@/lib/sync/schemas';
import { type Stack, sleep, waitForQueues } from '../lib/bench-stack';

const TERMINAL = new Set(['completed', 'partially_failed', 'failed', 'cancelled']);

export class Api {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; data: T }> {
    const res = await fetch(new URL(path, this.base), {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
    return { status: res.status, headers: res.headers, data: (text ? JSON.parse(text) : null) as T };
  }
}

let uniq = 0;
export const tag = () => `${Date.now().toString(36)}${(uniq++).toString(36)}`;

/**
 * Webhook sources at `receiverUrl`/<prefix>/hired. With `warm`, it waits until the worker delivers
 * to every one of them (the worker reconciles source queues every few seconds), as for sources that
 * have existed long before a sync; without, the caller decides how long they have existed.
 */
export async function createSources(
  api: Api,
  stack: Stack,
  receiverUrl: string,
  prefixes: string[],
  maxConcurrency: number,
  warm: boolean,
): Promise<string[]> {
  const ids: string[] = [];
  for (const prefix of prefixes) {
    const { data } = await api.call<{ id: string }>('POST', '/api/v1/sources', {
      name: `bench ${prefix} ${tag()}`,
      connector: 'generic_webhook',
      base_url: receiverUrl,
      sync_endpoint: `/${prefix}/hired`,
      max_concurrency: maxConcurrency,
      timeout_ms: 15_000,
      max_attempts: 3,
    });
    ids.push(data.id);
  }
  if (warm) {
    await waitForQueues(
      stack.db,
      ids.map((id) => `sync-deliver/${id}`),
      120_000,
    );
    await sleep(3500);
  }
  return ids;
}

export async function deactivateSources(api: Api, ids: string[]): Promise<void> {
  for (const id of ids) await api.call('PATCH', `/api/v1/sources/${id}`, { is_active: false });
}

/** A posting with `hired` hired candidates, imported 1,000 at a time. */
export async function createPosting(api: Api, hired: number): Promise<string> {
  const t = tag();
  const { data: job } = await api.call<{ slug: string }>('POST', '/api/v1/jobs', {
    title: `Bench ${t}`,
    department: 'Benchmark',
  });
  for (let offset = 0; offset < hired; offset += 1000) {
    const candidates = Array.from({ length: Math.min(1000, hired - offset) }, (_, i) => {
      const n = offset + i;
      return {
        first_name: `Bench${n}`,
        last_name: `Hired${n % 97}`,
        email: `bench-${t}-${n}@example.test`,
        phone: `+1 555 ${String(n).padStart(6, '0')}`,
        stage: 'hired',
      };
    });
    await api.call('POST', `/api/v1/jobs/${job.slug}/candidates`, { candidates });
  }
  return job.slug;
}

/**
 * The seed's URL contract, as the "Sync" button calls it; `null` syncs to every active source (the
 * API takes at most 100 ids).
 */
export async function startSync(api: Api, slug: string, sourceIds: string[] | null): Promise<string> {
  const { status, data } = await api.call<{ task_id: string; deduplicated: boolean }>(
    'POST',
    `/recruitment/jobs/${slug}/sync-hired-candidates/`,
    sourceIds ? { source_ids: sourceIds } : {},
  );
  if (status !== 202 || data.deduplicated) throw new Error(`sync of ${slug} was not started: ${JSON.stringify(data)}`);
  return data.task_id;
}

/**
 * Polls the status URL every `intervalMs` with If-None-Match until the run is finished. observedAt
 * is when this poller learnt it: what a user watching the modal gets, poll interval included.
 */
export async function waitForRun(api: Api, taskId: string, intervalMs: number, timeoutMs = 600_000) {
  const url = `/recruitment/sync/task/${taskId}/status/`;
  const deadline = Date.now() + timeoutMs;
  let etag: string | null = null;
  let body: RunStatus | null = null;
  for (;;) {
    const res: { status: number; headers: Headers; data: RunStatus | null } = await api.call<RunStatus | null>(
      'GET',
      url,
      undefined,
      etag ? { 'if-none-match': etag } : {},
    );
    if (res.status === 200) {
      body = res.data;
      etag = res.headers.get('etag');
    }
    if (body && TERMINAL.has(body.status)) return { body, etag: etag as string, observedAt: Date.now() };
    if (Date.now() > deadline) throw new Error(`run ${taskId} did not finish within ${timeoutMs / 1000} s`);
    await sleep(intervalMs);
  }
}
