/**
 * Benchmark of the candidates API against a running app:
 *   BASE_URL=http://127.0.0.1:3000 TOKEN=ats_... npm run bench:candidates
 * Creates a posting, inserts 10,000 candidates in batches of 1,000, then measures the latency of
 * the list request the candidates page makes (limit=50): the first page and pages deep in the list.
 * It prints figures and asserts nothing. Only local servers are accepted: it writes 10,000 rows.
 */
import { performance } from 'node:perf_hooks';
import { reportLatency } from './lib/latency-report';

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const TOKEN = process.env.TOKEN ?? '';
const TOTAL = Number(process.env.BENCH_CANDIDATES ?? 10_000);
const BATCH = 1000;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const PAGE = 50;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const base = new URL(BASE_URL);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
  fail(`BASE_URL must point at this machine (127.0.0.1 or localhost), not ${base.hostname}`);
}
if (!TOKEN) fail('set TOKEN to an API token (Settings → API tokens, or npm run cli -- token create)');

async function api<T>(method: string, path: string, body?: unknown): Promise<{ ms: number; data: T }> {
  const started = performance.now();
  const res = await fetch(new URL(path, base), {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  if (!res.ok) fail(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  return { ms, data: JSON.parse(text) as T };
}

type Page = { data: { id: string }[]; next_cursor: string | null };

async function main(): Promise<void> {
  const run = Date.now().toString(36);
  const { data: job } = await api<{ slug: string }>('POST', '/api/v1/jobs', {
    title: `Benchmark ${run}`,
    department: 'Benchmark',
  });
  console.log(`posting: ${job.slug} at ${base.origin}`);

  const insertStarted = performance.now();
  const batchTimes: number[] = [];
  for (let offset = 0; offset < TOTAL; offset += BATCH) {
    const candidates = Array.from({ length: Math.min(BATCH, TOTAL - offset) }, (_, i) => {
      const n = offset + i;
      return {
        first_name: `Bench${n}`,
        last_name: `Candidate${n % 97}`,
        email: `bench-${run}-${n}@example.test`,
        phone: `+1 555 ${String(n).padStart(6, '0')}`,
        stage: n % 10 === 0 ? 'hired' : 'applied',
      };
    });
    const { ms } = await api('POST', `/api/v1/jobs/${job.slug}/candidates`, { candidates });
    batchTimes.push(ms);
  }
  const insertSeconds = (performance.now() - insertStarted) / 1000;
  console.log(
    `inserted ${TOTAL} candidates in ${insertSeconds.toFixed(2)} s (${Math.round(TOTAL / insertSeconds)}/s, batches of ${BATCH})`,
  );
  reportLatency('POST batch of 1,000', batchTimes);

  const list = `/api/v1/jobs/${job.slug}/candidates?limit=${PAGE}`;
  // Walk the whole list once to collect cursors, so later samples can jump straight to deep pages.
  const cursors: string[] = [];
  let cursor: string | null = null;
  do {
    const { data: page }: { data: Page } = await api<Page>('GET', cursor ? `${list}&cursor=${cursor}` : list);
    cursor = page.next_cursor;
    if (cursor) cursors.push(cursor);
  } while (cursor);
  console.log(`walked ${cursors.length + 1} pages of ${PAGE}`);

  const deep = cursors.slice(Math.floor(cursors.length / 2));
  const first: number[] = [];
  const deepPages: number[] = [];
  const hiredFilter: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    first.push((await api('GET', list)).ms);
    deepPages.push((await api('GET', `${list}&cursor=${deep[i % deep.length]}`)).ms);
    hiredFilter.push((await api('GET', `${list}&stage=hired`)).ms);
  }
  reportLatency('GET first page', first);
  reportLatency('GET deep page (cursor)', deepPages);
  reportLatency('GET stage=hired first page', hiredFilter);
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
