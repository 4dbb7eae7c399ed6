/**
 * Benchmark of the streamed exports: memory stays flat however many rows a file holds.
 *   npm run bench:export
 * starts its own PostgreSQL (embedded, free port, temp dir), migrates, and seeds one posting with
 * 10,000 hired candidates, 100 sources and three runs of 10,000, 100,000 and 1,000,000 deliveries.
 * Each run's deliveries are then exported (GET /api/v1/sync-admin/tasks/{id}/deliveries/export,
 * the route handler called in-process with an admin token, as Next calls it, the body read as fast
 * as it comes) in a fresh child process per size and format, so that each peak RSS is its own. It
 * prints rows, bytes, rows/s, the CPU of the process and of the database backends serving it, the
 * process's RSS before the export (modules loaded, one small export done: the baseline of the same
 * child) and its peak during it, the heap in use before and after (after a full collection), and
 * the ratio of the peak at 1,000,000 rows to the peaks at 10,000 and 100,000. A last line exports
 * the 1,000,000 again with the heap capped at 96 MB (a third of the file): it completes only if
 * nothing piles up. It asserts nothing.
 *
 *   BENCH_EXPORT_SIZES=10000,100000,1000000   deliveries per run (each a multiple of 10,000)
 *   BENCH_EXPORT_FORMATS=csv,jsonl
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { freePort } from './lib/bench-stack';

const CANDIDATES = 10_000;
const SIZES = (process.env.BENCH_EXPORT_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const FORMATS = (process.env.BENCH_EXPORT_FORMATS ?? 'csv,jsonl').split(',');

type ChildResult = {
  rows: number;
  bytes: number;
  seconds: number;
  baselineRssMb: number;
  peakRssMb: number;
  maxRssMb: number;
  /** The heap still in use after the export and a full collection: what it kept, against the baseline's. */
  heapBeforeMb: number;
  heapAfterMb: number;
  cpuSeconds: number;
  /** CPU of the PostgreSQL backends serving this process's connections. */
  dbCpuSeconds: number;
};

const mb = (bytes: number) => bytes / 1024 / 1024;
/** The old-space cap of the last line: well under the size of the file it writes. */
const CAPPED_HEAP_MB = 96;

const HEADER = [
  'export'.padEnd(30),
  'rows'.padStart(10),
  'MB'.padStart(6),
  's'.padStart(6),
  'rows/s'.padStart(7),
  'app cpu'.padStart(8),
  'db cpu'.padStart(7),
  'RSS before'.padStart(10),
  'RSS peak'.padStart(9),
  'heap before/after'.padStart(18),
].join(' ');

function print(label: string, r: ChildResult): void {
  console.log(
    [
      label.padEnd(30),
      r.rows.toLocaleString('en').padStart(10),
      mb(r.bytes).toFixed(0).padStart(6),
      r.seconds.toFixed(1).padStart(6),
      Math.round(r.rows / r.seconds)
        .toLocaleString('en')
        .padStart(7),
      `${r.cpuSeconds.toFixed(1)} s`.padStart(8),
      `${r.dbCpuSeconds.toFixed(1)} s`.padStart(7),
      `${r.baselineRssMb.toFixed(0)} MB`.padStart(10),
      `${r.peakRssMb.toFixed(0)} MB`.padStart(9),
      `${r.heapBeforeMb.toFixed(0)} / ${r.heapAfterMb.toFixed(0)} MB`.padStart(18),
    ].join(' '),
  );
}

/** CPU seconds a process has used, from /proc (Linux). */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** In the child: one export read to its end, with the process's RSS sampled meanwhile. */
async function child(runId: string, format: string, token: string, warmRunId: string): Promise<void> {
  const { NextRequest } = await import('next/server');
  const { GET } = await import('@/app/api/v1/sync-admin/tasks/[id]/deliveries/export/route');
  const call = async (id: string) => {
    const req = new NextRequest(
      `http://127.0.0.1:3000/api/v1/sync-admin/tasks/${id}/deliveries/export?format=${format}`,
      {
        headers: { authorization: `Bearer ${token}`, host: '127.0.0.1:3000' },
      },
    );
    const res = await GET(req, { params: Promise.resolve({ id }) });
    if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let bytes = 0;
    let lines = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (let i = 0; i < value.length; i++) if (value[i] === 10) lines += 1;
    }
    return { bytes, rows: format === 'csv' ? lines - 1 : lines };
  };
  const { getDb } = await import('@/lib/db');
  // The database is on this machine: the backends of this process's connections are read from /proc.
  const backends = async () => {
    const { rows } = await sql<{ pid: number }>`
      select pid from pg_stat_activity where datname = current_database() and application_name = 'ats-sync-app'
    `.execute(getDb());
    return new Map(rows.map((r) => [r.pid, processCpuSeconds(r.pid)]));
  };
  // Modules loaded, the pool open, one small export done: what any export starts from.
  await call(warmRunId);
  const db0 = await backends();
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const { rows, bytes } = await call(runId);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const cpu = process.cpuUsage(cpu0);
  let dbCpu = 0;
  for (const [pid, seconds] of await backends()) dbCpu += seconds - (db0.get(pid) ?? 0);
  global.gc?.();
  const result: ChildResult = {
    rows,
    bytes,
    seconds,
    baselineRssMb: mb(baseline),
    peakRssMb: mb(peak),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    heapBeforeMb: mb(heapBefore),
    heapAfterMb: mb(process.memoryUsage().heapUsed),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    dbCpuSeconds: dbCpu,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  const { closeDb } = await import('@/lib/db');
  await closeDb();
}

function runChild(env: NodeJS.ProcessEnv, args: string[], nodeFlags: string[] = []): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const argv = ['--expose-gc', ...nodeFlags, '--import', 'tsx', 'scripts/bench-export.ts', ...args];
    const proc = spawn(process.execPath, argv, {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`child exited ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line.slice(7)));
    });
  });
}

async function seed(): Promise<{ runs: Map<number, string>; warm: string; token: string }> {
  const { getDb, closeDb } = await import('@/lib/db');
  const { createApiToken } = await import('@/lib/tokens/service');
  const { hashPassword } = await import('@/lib/auth/password');
  const db = getDb();
  try {
    const user = await db
      .insertInto('users')
      .values({
        email: 'bench-export@example.test',
        name: 'Bench',
        role: 'admin',
        password_hash: await hashPassword('x'.repeat(16)),
      })
      .returning(['id', 'email', 'name'])
      .executeTakeFirstOrThrow();
    const { token } = await createApiToken(
      db,
      { kind: 'user', id: user.id, email: user.email, name: user.name, role: 'admin', via: 'cli' },
      { name: 'bench' },
    );
    const job = await db
      .insertInto('job_postings')
      .values({ slug: 'bench-export', title: 'Bench export' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      insert into candidates (job_posting_id, first_name, last_name, email, stage, hired_at)
      select ${job.id}, 'Bench' || n, 'Candidate "' || n || '", Jr.', 'bench-' || n || '@example.test', 'hired', now()
      from generate_series(1, ${CANDIDATES}) as n
    `.execute(db);
    await sql`
      insert into sources (name, connector, base_url, sync_endpoint, headers, field_mapping, is_active)
      select 'Bench source ' || lpad(n::text, 3, '0'), 'generic_webhook', 'http://127.0.0.1:9', '/hooks', '{}', '{}', false
      from generate_series(1, 100) as n
    `.execute(db);
    const runs = new Map<number, string>();
    for (const size of [CANDIDATES / 10, ...SIZES]) {
      const run = await db
        .insertInto('sync_runs')
        .values({ job_posting_id: job.id, trigger: 'manual', status: 'partially_failed', total: size })
        .returning('id')
        .executeTakeFirstOrThrow();
      const started = performance.now();
      // size / CANDIDATES sources, every candidate to each (a tenth of them for the warm-up run).
      await sql`
        insert into sync_deliveries (run_id, source_id, candidate_id, status, attempts, http_status, error_code, error_message,
          duration_ms, external_id, payload_hash, idempotency_key, delivered_at, created_at, updated_at)
        select ${run.id}, s.id, c.id,
               case when c.n % 10 = 0 then 'failed' else 'succeeded' end, 1,
               case when c.n % 10 = 0 then 422 else 200 end,
               case when c.n % 10 = 0 then 'rejected' end,
               case when c.n % 10 = 0 then 'HTTP 422: {"error":"=missing field, \\"email\\""}' end,
               40 + c.n % 200, case when c.n % 10 <> 0 then 'EXT-' || c.n end,
               md5(c.id::text), md5(s.id::text || c.id::text), now(), now(), now()
        from (select id, row_number() over (order by id) as n from candidates where job_posting_id = ${job.id}) c
        cross join (select id from sources order by name limit ${Math.max(1, size / CANDIDATES)}) s
        where c.n <= ${Math.min(size, CANDIDATES)}
      `.execute(db);
      await sql`analyze sync_deliveries`.execute(db);
      runs.set(size, run.id);
      console.log(
        `seeded a run of ${size.toLocaleString('en')} deliveries in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    const warm = runs.get(CANDIDATES / 10) as string;
    return { runs, warm, token };
  } finally {
    await closeDb();
  }
}

async function main(): Promise<void> {
  const [mode, runId, format, token, warm] = process.argv.slice(2);
  if (mode === '--child') return child(runId, format, token, warm);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-export-'));
  chmodSync(dataDir, 0o755);
  const { startEmbeddedPostgres } = await import('@/db/embedded');
  const { migrateToLatest } = await import('@/db/migrate');
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: await freePort(),
    database: 'bench',
    password: 'bench-export-password',
  });
  try {
    process.env.DATABASE_URL = pg.url;
    process.env.LOG_LEVEL ??= 'warn';
    await migrateToLatest(pg.url, { bossSchema: 'pgboss' });
    const seeded = await seed();
    console.log(`\n${os.cpus().length} cores; one child process per export, the body read as fast as it comes\n`);
    console.log(HEADER);
    const peaks = new Map<string, number>();
    for (const format of FORMATS) {
      for (const size of SIZES) {
        const r = await runChild({ ...process.env }, [
          '--child',
          seeded.runs.get(size) as string,
          format,
          seeded.token,
          seeded.warm,
        ]);
        peaks.set(`${format}:${size}`, r.peakRssMb);
        print(`deliveries ${format} ${size.toLocaleString('en')}`, r);
      }
      const large = peaks.get(`${format}:${SIZES.at(-1)}`) as number;
      for (const size of SIZES.slice(0, -1)) {
        const ratio = large / (peaks.get(`${format}:${size}`) as number);
        console.log(
          `${`ratio ${format}: peak RSS at ${SIZES.at(-1)?.toLocaleString('en')} / at ${size.toLocaleString('en')}`.padEnd(60)} ${ratio.toFixed(2)}`,
        );
      }
      console.log('');
    }
    // The proof that nothing piles up: the largest export again with a heap capped far below its file.
    const largest = SIZES.at(-1) as number;
    const capped = await runChild(
      { ...process.env },
      ['--child', seeded.runs.get(largest) as string, 'csv', seeded.token, seeded.warm],
      [`--max-old-space-size=${CAPPED_HEAP_MB}`],
    );
    print(`csv ${largest.toLocaleString('en')}, heap ≤ ${CAPPED_HEAP_MB} MB`, capped);
  } finally {
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
