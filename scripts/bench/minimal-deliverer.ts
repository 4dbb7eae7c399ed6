/**
 * The throughput scenario's baseline: the least a durable deliverer does on this machine, measured
 * in the same run as the engine, so the engine's 10,000 x 1 rate reads against what the machine
 * gives today (PLATFORM.md: ratios against a baseline in the same run) and not only against a
 * fixed number. Its own process, so its CPU is counted apart.
 *
 * For each run: one row per delivery written and committed before anything is sent (10,000 rows in
 * one INSERT), the rows read in pages of 100, each POSTed to the same lean receiver (the same
 * candidate.hired body, Idempotency-Key and delivery id headers, keep-alive connections through an
 * undici Agent, at most `concurrency` in flight), and each page's outcomes recorded in one UPDATE
 * when its requests are answered. What it leaves out is what the engine adds on top: the queue,
 * leases, retries and limits, the stored request, the admin pages' indexes, progress and history.
 *
 * Protocol: prints `ready` once connected; reads `run <count> <concurrency> <receiver url>` lines
 * on stdin and answers each with one JSON line `{"deliveries":n,"seconds":s,"failed":f}`.
 */
import readline from 'node:readline';
import pLimit from 'p-limit';
import pg from 'pg';
import { Agent, request } from 'undici';

const PAGE = 100;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4, application_name: 'ats-sync-minimal' });

await pool.query(`
  create table if not exists bench_minimal_deliveries (
    seq bigint generated always as identity primary key,
    id uuid not null default gen_random_uuid(),
    run int not null,
    status text not null default 'pending',
    http_status int,
    response text,
    delivered_at timestamptz
  )`);

type Row = { seq: string; id: string };

async function deliver(count: number, concurrency: number, receiverUrl: string) {
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 60_000 });
  const url = new URL('/minimal/hired', receiverUrl);
  const t0 = performance.now();
  const { rows: runRows } = await pool.query<{ run: number }>(
    'select coalesce(max(run), 0) + 1 as run from bench_minimal_deliveries',
  );
  const run = runRows[0].run;
  await pool.query(`insert into bench_minimal_deliveries (run) select $1 from generate_series(1, $2::int)`, [
    run,
    count,
  ]);

  let failed = 0;
  const limit = pLimit(concurrency);
  const send = (row: Row) =>
    limit(async () => {
      const body = JSON.stringify({
        id: row.id,
        type: 'candidate.hired',
        created_at: new Date().toISOString(),
        attempt: 1,
        data: { candidate: { id: row.seq, email: `minimal-${row.seq}@example.test` } },
      });
      const res = await request(url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', 'idempotency-key': row.id, 'x-ats-delivery-id': row.id },
        body,
      });
      const text = await res.body.text();
      if (res.statusCode >= 300) failed += 1;
      return { seq: row.seq, status: res.statusCode, response: text.slice(0, 200) };
    });

  const recordings: Promise<unknown>[] = [];
  let after = '0';
  for (;;) {
    const { rows } = await pool.query<Row>(
      'select seq::text, id::text from bench_minimal_deliveries where run = $1 and seq > $2 order by seq limit $3',
      [run, after, PAGE],
    );
    if (rows.length === 0) break;
    after = rows[rows.length - 1].seq;
    const page = Promise.all(rows.map(send)).then((outcomes) =>
      pool.query(
        `update bench_minimal_deliveries d
         set status = case when o.http_status < 300 then 'succeeded' else 'failed' end,
             http_status = o.http_status, response = o.response, delivered_at = now()
         from unnest($1::bigint[], $2::int[], $3::text[]) as o (seq, http_status, response)
         where d.seq = o.seq`,
        [outcomes.map((o) => o.seq), outcomes.map((o) => o.status), outcomes.map((o) => o.response)],
      ),
    );
    // The pages are read ahead; their requests queue for the slots in order.
    recordings.push(page);
  }
  await Promise.all(recordings);
  const seconds = (performance.now() - t0) / 1000;
  await agent.close();
  return { deliveries: count, seconds, failed };
}

process.stdout.write('ready\n');
const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const [command, count, concurrency, receiverUrl] = line.trim().split(' ');
  if (command !== 'run') continue;
  const result = await deliver(Number(count), Number(concurrency), receiverUrl);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
await pool.end();
