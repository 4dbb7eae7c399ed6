/**
 * Where the product's database connections spend their time during a benchmark: pg_stat_activity
 * sampled every few milliseconds, counted by process, state / wait event and statement. A sample
 * count divided by the samples taken is the average number of connections in that state.
 */
import { sql } from 'kysely';
import type { Database } from '@/db/client';
import { readProcStat, USER_HZ } from './proc-stat';

type Row = { app: string; state: string | null; wait: string | null; query: string };

export type ActivityReport = {
  samples: number;
  interval_ms: number;
  /** Average connections per process and state (active:<wait event> / idle in transaction). */
  by_state: { app: string; state: string; avg_connections: number }[];
  /** Average connections busy with each statement (active or idle in transaction). */
  by_statement: { app: string; state: string; avg_connections: number; statement: string }[];
};

const normalise = (q: string) =>
  q
    .replace(/\s+/g, ' ')
    .replace(/\$\d+/g, '?')
    .replace(/\(\?(, \?)+\)/g, '(…)')
    .trim()
    .slice(0, 110);

export function sampleActivity(db: Database, intervalMs = 10) {
  const byState = new Map<string, number>();
  const byStatement = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      const { rows } = await sql<Row>`
        select application_name as app, state,
               case when wait_event is null then 'cpu' else wait_event_type || ':' || wait_event end as wait,
               left(query, 400) as query
        from pg_stat_activity
        where application_name like 'ats-sync-%' and application_name <> 'ats-sync-bench' and pid <> pg_backend_pid()
      `.execute(db);
      samples += 1;
      for (const r of rows) {
        if (r.state === 'idle') continue;
        const state = r.state === 'active' ? `active ${r.wait}` : (r.state ?? '?');
        const k1 = `${r.app}\t${state}`;
        byState.set(k1, (byState.get(k1) ?? 0) + 1);
        const k2 = `${r.app}\t${r.state === 'active' ? 'active' : r.state}\t${normalise(r.query)}`;
        byStatement.set(k2, (byStatement.get(k2) ?? 0) + 1);
      }
      const wait = intervalMs - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return {
    async stop(top = 12): Promise<ActivityReport> {
      stopped = true;
      await loop;
      const n = Math.max(samples, 1);
      const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
      return {
        samples,
        interval_ms: intervalMs,
        by_state: sorted(byState).map(([k, c]) => {
          const [app, state] = k.split('\t');
          return { app, state, avg_connections: Math.round((c / n) * 100) / 100 };
        }),
        by_statement: sorted(byStatement).map(([k, c]) => {
          const [app, state, statement] = k.split('\t');
          return { app, state, avg_connections: Math.round((c / n) * 100) / 100, statement };
        }),
      };
    },
  };
}

export function formatActivity(report: ActivityReport): string[] {
  const lines = [`  database activity (${report.samples} samples; average connections):`];
  for (const s of report.by_state) lines.push(`    ${String(s.avg_connections).padStart(6)}  ${s.app}  ${s.state}`);
  lines.push('  busiest statements:');
  for (const s of report.by_statement)
    lines.push(`    ${String(s.avg_connections).padStart(6)}  ${s.app} ${s.state}: ${s.statement}`);
  return lines;
}

type Totals = {
  commits: number;
  rollbacks: number;
  wal_bytes: number;
  wal_records: number;
  delivery_updates: number;
  delivery_hot_updates: number;
  at: number;
};

async function totals(db: Database): Promise<Totals> {
  const { rows } = await sql<Omit<Totals, 'at'>>`
    select d.xact_commit::float8 as commits, d.xact_rollback::float8 as rollbacks,
           w.wal_bytes::float8 as wal_bytes, w.wal_records::float8 as wal_records,
           t.n_tup_upd::float8 as delivery_updates, t.n_tup_hot_upd::float8 as delivery_hot_updates
    from pg_stat_database d, pg_stat_wal w, pg_stat_user_tables t
    where d.datname = current_database() and t.relid = 'sync_deliveries'::regclass
  `.execute(db);
  return { ...rows[0], at: Date.now() };
}

export type StatementsReport = {
  seconds: number;
  /** Committed transactions in this database (ours, the product's, pg-boss's), per second. */
  commits_per_s: number;
  wal_mb: number;
  /**
   * Row updates of sync_deliveries, and how many were HOT (wrote no index entry: a claim, migration
   * 021). Other backends report these when they flush their statistics (up to seconds late), so
   * the share is the figure to read, not the counts.
   */
  delivery_updates: number;
  delivery_hot_updates: number;
  /** Present with pg_stat_statements: the statements that took the most database time. */
  top?: {
    calls: number;
    total_ms: number;
    mean_ms: number;
    rows: number;
    wal_kb: number;
    wal_fpi: number;
    statement: string;
  }[];
  db_time_ms?: number;
};

/** Counts commits and WAL, and (when pg_stat_statements is loaded) per-statement database time. */
export async function measureStatements(db: Database, withStatements: boolean) {
  if (withStatements) await sql`select pg_stat_statements_reset()`.execute(db);
  const before = await totals(db);
  return {
    async stop(top = 12): Promise<StatementsReport> {
      const after = await totals(db);
      const seconds = (after.at - before.at) / 1000;
      const report: StatementsReport = {
        seconds,
        commits_per_s: Math.round((after.commits - before.commits) / seconds),
        wal_mb: Math.round((after.wal_bytes - before.wal_bytes) / 1e4) / 100,
        delivery_updates: after.delivery_updates - before.delivery_updates,
        delivery_hot_updates: after.delivery_hot_updates - before.delivery_hot_updates,
      };
      if (!withStatements) return report;
      const { rows } = await sql<{
        calls: number;
        total_ms: number;
        rows: number;
        wal_bytes: number;
        wal_fpi: number;
        query: string;
      }>`
        select calls::float8 as calls, total_exec_time as total_ms, rows::float8 as rows,
               wal_bytes::float8 as wal_bytes, wal_fpi::float8 as wal_fpi, query
        from pg_stat_statements
        where dbid = (select oid from pg_database where datname = current_database())
          and query not like '%pg_stat_%'
        order by total_exec_time desc
      `.execute(db);
      report.db_time_ms = Math.round(rows.reduce((n, r) => n + r.total_ms, 0));
      report.top = rows.slice(0, top).map((r) => ({
        calls: r.calls,
        total_ms: Math.round(r.total_ms),
        mean_ms: Math.round((r.total_ms / Math.max(r.calls, 1)) * 100) / 100,
        rows: r.rows,
        wal_kb: Math.round(r.wal_bytes / 1024),
        wal_fpi: r.wal_fpi,
        statement: normalise(r.query),
      }));
      return report;
    },
  };
}

export function formatStatements(report: StatementsReport, perUnit?: { name: string; count: number }): string[] {
  const per = (n: number) => (perUnit ? ` (${Math.round((n / perUnit.count) * 100) / 100}/${perUnit.name})` : '');
  const lines = [
    `  database: ${report.commits_per_s} commits/s${per(report.commits_per_s * report.seconds)}, WAL ${report.wal_mb} MB` +
      (report.db_time_ms !== undefined ? `, statement time ${report.db_time_ms} ms` : '') +
      (report.delivery_updates > 0
        ? `, HOT share of delivery row updates ${Math.round((100 * report.delivery_hot_updates) / report.delivery_updates)}%`
        : ''),
  ];
  for (const s of report.top ?? []) {
    lines.push(
      `    ${String(s.total_ms).padStart(7)} ms ${String(s.calls).padStart(7)} calls${per(s.calls).padEnd(12)} ` +
        `${String(s.mean_ms).padStart(6)} ms/call  WAL ${String(s.wal_kb).padStart(6)} KB ` +
        `(${String(s.wal_fpi).padStart(5)} full pages)  ${s.statement}`,
    );
  }
  return lines;
}

/** Whose PostgreSQL processes used the CPU: each backend by its application (or its kind). */
export type PostgresCpuReport = { by_process: { process: string; cpu_seconds: number }[] };

/**
 * CPU of PostgreSQL's processes during a measurement, per application name (the product's pools
 * name themselves: ats-sync-worker, ats-sync-web-boss, ...) or background kind (autovacuum worker,
 * walwriter, checkpointer). Processes are found in pg_stat_activity every `intervalMs`; one that
 * started and ended between two looks is counted in the remainder ("exited between samples").
 */
export function samplePostgresCpu(db: Database, totalCpuSeconds: () => number, intervalMs = 200) {
  const first = new Map<number, number>();
  const last = new Map<number, { label: string; ticks: number }>();
  const totalBefore = totalCpuSeconds();
  let stopped = false;
  const look = async () => {
    const { rows } = await sql<{ pid: number; label: string }>`
      select pid, coalesce(nullif(application_name, ''), backend_type) as label from pg_stat_activity
    `.execute(db);
    for (const r of rows) {
      const ticks = readProcStat(r.pid)?.ownTicks;
      if (ticks === undefined) continue;
      if (!first.has(r.pid)) first.set(r.pid, ticks);
      last.set(r.pid, { label: r.label, ticks });
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await look();
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop(): Promise<PostgresCpuReport> {
      stopped = true;
      await loop;
      await look();
      const by = new Map<string, number>();
      for (const [pid, { label, ticks }] of last) by.set(label, (by.get(label) ?? 0) + (ticks - first.get(pid)!));
      const seconds = [...by.entries()].map(([process, t]) => ({ process, cpu_seconds: t / USER_HZ }));
      const counted = seconds.reduce((a, s) => a + s.cpu_seconds, 0);
      seconds.push({
        process: 'exited between samples',
        cpu_seconds: Math.max(0, totalCpuSeconds() - totalBefore - counted),
      });
      return {
        by_process: seconds
          .filter((s) => s.cpu_seconds > 0)
          .sort((a, b) => b.cpu_seconds - a.cpu_seconds)
          .map((s) => ({ ...s, cpu_seconds: Math.round(s.cpu_seconds * 100) / 100 })),
      };
    },
  };
}

export function formatPostgresCpu(report: PostgresCpuReport, deliveries: number): string[] {
  const lines = ['  database CPU by process:'];
  for (const p of report.by_process)
    lines.push(
      `    ${p.cpu_seconds.toFixed(2).padStart(6)} s  ${((p.cpu_seconds * 1e6) / deliveries).toFixed(0).padStart(4)} µs/delivery  ${p.process}`,
    );
  return lines;
}
