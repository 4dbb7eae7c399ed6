/**
 * Sync history for the admin pages and their benchmark:
 *   npm run seed:sync-history                       # 100,000 runs, ~1,000,000 deliveries, last 30 days
 *   SEED_RUNS=10000 SEED_DAYS=7 SEED_CANDIDATES=20000 npm run seed:sync-history
 * Everything is written with set-based SQL (generate_series), so a million deliveries take well under
 * a minute. It adds its own postings (with hired candidates) and five sources, so it can run on a
 * database that already has data. The sources are inactive: real syncs never send to them.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '@/db/client';

export type SeedHistoryOptions = { runs: number; days: number; postings?: number; hiredPerPosting?: number };
export type SeedHistoryResult = {
  tag: string;
  runs: number;
  deliveries: number;
  sourceIds: string[];
  postingIds: string[];
  seconds: number;
};

// Failure rate, typical duration and connector per source: a realistic spread from reliable to flaky.
const SOURCES = [
  { name: 'Workday HRIS', failRate: 0.01, ms: 180, connector: 'generic_webhook', health: 'healthy' },
  { name: 'Payroll (ADP)', failRate: 0.03, ms: 420, connector: 'rest_batch', health: 'healthy' },
  { name: 'Onboarding portal', failRate: 0.06, ms: 260, connector: 'generic_webhook', health: 'degraded' },
  { name: 'Benefits provider', failRate: 0.02, ms: 900, connector: 'rest_batch', health: 'healthy' },
  { name: 'Partner marketplace', failRate: 0.12, ms: 650, connector: 'generic_webhook', health: 'unreachable' },
] as const;

export async function seedSyncHistory(db: Database, options: SeedHistoryOptions): Promise<SeedHistoryResult> {
  const started = performance.now();
  const tag = randomBytes(3).toString('hex');
  const postings = options.postings ?? 8;
  const hired = options.hiredPerPosting ?? 250;
  const admin = await db.selectFrom('users').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst();

  const sourceIds: string[] = [];
  for (const [i, s] of SOURCES.entries()) {
    const row = await db
      .insertInto('sources')
      .values({
        name: `${s.name} (history ${tag})`,
        connector: s.connector,
        base_url: `https://${s.name.toLowerCase().replace(/[^a-z]+/g, '-')}.example.com`,
        sync_endpoint: s.connector === 'rest_batch' ? '/api/v2/employees/batch' : '/hooks/hired',
        is_active: false,
        health_status: s.health,
        health_checked_at: new Date(),
        health_error: s.health === 'healthy' ? null : 'HTTP 503 Service Unavailable',
        last_success_at: new Date(Date.now() - i * 60_000),
        consecutive_failures: s.health === 'healthy' ? 0 : 7,
        headers: JSON.stringify({}),
        field_mapping: JSON.stringify({}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    sourceIds.push(row.id);
  }

  const jobRows = await db
    .insertInto('job_postings')
    .values(
      Array.from({ length: postings }, (_, i) => ({
        slug: `history-${tag}-${i + 1}`,
        title: ['Account Executive', 'Data Engineer', 'Nurse', 'Store Manager', 'Support Agent', 'Warehouse Lead'][
          i % 6
        ].concat(` (history ${i + 1})`),
        department: ['Sales', 'Engineering', 'Care', 'Retail', 'Support', 'Logistics'][i % 6],
        location: ['Berlin', 'Remote', 'London', 'Paris', 'Madrid', 'Lisbon'][i % 6],
      })),
    )
    .returning('id')
    .execute();
  const postingIds = jobRows.map((j) => j.id);

  await sql`
    insert into candidates (job_posting_id, first_name, last_name, email, stage, hired_at, created_at)
    select p.id, 'Hist' || n, 'Candidate' || (n % 97), 'hist-' || ${tag} || '-' || p.ord || '-' || n || '@example.test',
           'hired', now() - make_interval(days => 40), now() - make_interval(days => 45)
    from unnest(${postingIds}::uuid[]) with ordinality as p(id, ord)
    cross join generate_series(1, ${hired}) as n
  `.execute(db);

  await db.transaction().execute(async (trx) => {
    await sql`select setseed(0.42)`.execute(trx);
    // Runs spread over the window, denser in working hours; status and counters follow the deliveries.
    await sql`
      create temp table seed_runs on commit drop as
      select gen_random_uuid() as id, i,
             (${postingIds}::uuid[])[1 + i % ${postings}] as job_posting_id,
             now() - make_interval(secs => (random() * ${options.days} * 86400)::int + 60) as created_at,
             case when i % 20 = 0 then 'schedule' when i % 20 = 1 then 'api' else 'manual' end as trigger,
             1 + i % 3 as candidates,
             i % 200 = 0 as cancelled
      from generate_series(1, ${options.runs}) as i
    `.execute(trx);
    await sql`
      insert into sync_runs (id, job_posting_id, trigger, requested_by, status, created_at, started_at, updated_at)
      select id, job_posting_id, trigger, case when trigger = 'schedule' then null else ${admin?.id ?? null}::uuid end,
             'completed', created_at, created_at + interval '40 milliseconds', created_at
      from seed_runs
    `.execute(trx);
    await sql`
      create temp table seed_postings on commit drop as
      select job_posting_id as id, array_agg(id order by email) as candidate_ids
      from candidates where job_posting_id = any(${postingIds}::uuid[]) group by job_posting_id
    `.execute(trx);
    const sourceSpec = sql.join(
      SOURCES.map(
        (s, i) => sql`(${sourceIds[i]}::uuid, ${i}::int, ${s.failRate}::float8, ${s.ms}::int, ${s.connector})`,
      ),
    );
    await sql`
      insert into sync_deliveries (run_id, source_id, candidate_id, status, attempts, http_status, error_code, error_message,
        response_excerpt, request_excerpt, duration_ms, external_id, payload_hash, idempotency_key, delivered_at,
        started_at, created_at, updated_at)
      select x.run_id, x.source_id, x.candidate_id, x.status, x.attempts,
             case x.status when 'succeeded' then 200 when 'failed' then x.http_status end,
             case when x.status = 'failed' then x.error_code when x.status = 'cancelled' then 'cancelled' end,
             case x.status when 'failed' then x.error_message when 'skipped' then 'already delivered with the same content'
                           when 'cancelled' then 'cancelled before it was sent' end,
             case x.status when 'succeeded' then '{"id":"EXT-' || left(md5(x.candidate_id::text || x.source_id::text), 10) || '","status":"created"}'
                           when 'failed' then x.error_message end,
             case when x.status in ('succeeded', 'failed') then jsonb_build_object(
               'method', 'POST',
               'url', s.base_url || s.sync_endpoint,
               'headers', jsonb_build_object('content-type', 'application/json', 'authorization', '[redacted]',
                                             'idempotency-key', md5(x.run_id::text || x.candidate_id::text)),
               'body', case when x.connector = 'rest_batch' then to_jsonb('[batch of 10]'::text)
                            else jsonb_build_object('email', c.email, 'first_name', c.first_name, 'last_name', c.last_name) end)
             end,
             case when x.status in ('succeeded', 'failed') then x.duration_ms end,
             case when x.status = 'succeeded' then 'EXT-' || left(md5(x.candidate_id::text || x.source_id::text), 10) end,
             md5(x.candidate_id::text), md5(x.run_id::text || x.source_id::text || x.candidate_id::text),
             case when x.status = 'succeeded' then x.queued_at + make_interval(secs => x.duration_ms / 1000.0) end,
             case when x.status in ('succeeded', 'failed') then x.queued_at end,
             x.queued_at,
             x.queued_at + make_interval(secs => coalesce(x.duration_ms, 0) / 1000.0 + (x.attempts - 1) * 6)
      from (
        select r.id as run_id, src.id as source_id, p.candidate_ids[1 + (r.i * 7 + k * 13) % array_length(p.candidate_ids, 1)] as candidate_id,
               src.connector, r.created_at + interval '40 milliseconds' as queued_at,
               case when r.cancelled and roll > 0.5 then 'cancelled'
                    when roll < 0.08 then 'skipped'
                    when roll < 0.08 + src.fail_rate * incident then 'failed'
                    else 'succeeded' end as status,
               case when kind < 0.35 then 503 when kind < 0.55 then null when kind < 0.8 then 422 when kind < 0.9 then 401 else null end as http_status,
               case when kind < 0.35 then 'server_error' when kind < 0.55 then 'timeout' when kind < 0.8 then 'rejected'
                    when kind < 0.9 then 'auth_failed' else 'connection_failed' end as error_code,
               case when kind < 0.35 then 'HTTP 503: upstream temporarily unavailable'
                    when kind < 0.55 then 'no answer within 10000 ms'
                    when kind < 0.8 then 'HTTP 422: {"error":"email is already registered"}'
                    when kind < 0.9 then 'HTTP 401: invalid API key'
                    else 'connection refused (ECONNREFUSED)' end as error_message,
               case when (r.cancelled and roll > 0.5) or roll < 0.08 then 0
                    when roll < 0.08 + src.fail_rate * incident then (case when kind < 0.55 or kind >= 0.9 then 3 else 1 end)
                    when roll > 0.97 then 2 else 1 end as attempts,
               case when kind >= 0.35 and kind < 0.55 and roll < 0.08 + src.fail_rate * incident then 10000
                    else greatest(15, (src.ms * (0.35 + power(random(), 3) * 4))::int) end as duration_ms
        from seed_runs r
        join seed_postings p on p.id = r.job_posting_id
        cross join generate_series(0, r.candidates - 1) as k
        cross join (values ${sourceSpec}) as src(id, ord, fail_rate, ms, connector)
        cross join lateral (select random() as roll, random() as kind where k >= 0 and src.ord >= 0) dice
        -- A three-hour outage of the flaky source five days ago, so trends have something to show.
        cross join lateral (select case when src.ord = 4 and r.created_at between now() - interval '5 days 3 hours' and now() - interval '5 days'
                                        then 6.0 else 1.0 end as incident) inc
      ) x
      join sources s on s.id = x.source_id
      join candidates c on c.id = x.candidate_id
    `.execute(trx);
    await sql`
      update sync_runs r set
        total = a.total, succeeded = a.succeeded, failed = a.failed, skipped = a.skipped, cancelled = a.cancelled,
        status = case when a.cancelled > 0 then 'cancelled' when a.failed = 0 then 'completed'
                      when a.succeeded + a.skipped = 0 then 'failed' else 'partially_failed' end,
        error_summary = case when a.failed = 1 then '1 delivery failed' when a.failed > 1 then a.failed || ' deliveries failed' end,
        finished_at = a.finished_at, updated_at = a.finished_at
      from (
        select d.run_id, count(*)::int as total,
               count(*) filter (where d.status = 'succeeded')::int as succeeded,
               count(*) filter (where d.status = 'failed')::int as failed,
               count(*) filter (where d.status = 'skipped')::int as skipped,
               count(*) filter (where d.status = 'cancelled')::int as cancelled,
               max(d.updated_at) as finished_at
        from sync_deliveries d join seed_runs s on s.id = d.run_id
        group by d.run_id
      ) a
      where r.id = a.run_id
    `.execute(trx);
    await sql`
      insert into sync_run_progress (run_id, source_id, lane, total, succeeded, failed, skipped, cancelled)
      select d.run_id, d.source_id, '', count(*),
             count(*) filter (where d.status = 'succeeded'), count(*) filter (where d.status = 'failed'),
             count(*) filter (where d.status = 'skipped'), count(*) filter (where d.status = 'cancelled')
      from sync_deliveries d join seed_runs s on s.id = d.run_id
      group by d.run_id, d.source_id
    `.execute(trx);
  });
  await sql`analyze sync_runs`.execute(db);
  await sql`analyze sync_deliveries`.execute(db);
  await sql`analyze candidates`.execute(db);

  const counts = await db
    .selectFrom('sync_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('source_id', 'in', sourceIds)
    .executeTakeFirstOrThrow();
  return {
    tag,
    runs: options.runs,
    deliveries: counts.n,
    sourceIds,
    postingIds,
    seconds: (performance.now() - started) / 1000,
  };
}

export type SearchCases = { rareSourceId: string; unusedSourceId: string; candidates: number };

const RARE_SOURCE = 'Rarely used export';
const UNUSED_SOURCE = 'Never used sandbox';

/**
 * The admin search's hard cases, added once to a seeded history: candidates up to `candidates`
 * (applicants, so real syncs never pick them; their emails share a few domains, so a fragment such as
 * `example.test` matches nearly all of them), a source that about 1 % of the runs delivered to and
 * one that no run used. Runs again as a no-op, so a kept benchmark database is topped up, not redone.
 */
export async function seedSearchCases(db: Database, options: { candidates: number }): Promise<SearchCases> {
  const found = await db
    .selectFrom('sources')
    .select(['id', 'name'])
    .where((eb) => eb.or([eb('name', 'like', `${RARE_SOURCE} (%`), eb('name', 'like', `${UNUSED_SOURCE} (%`)]))
    .execute();
  const existing = {
    rare: found.find((s) => s.name.startsWith(RARE_SOURCE))?.id,
    unused: found.find((s) => s.name.startsWith(UNUSED_SOURCE))?.id,
  };
  const count = async () =>
    (
      await db
        .selectFrom('candidates')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  if (existing.rare && existing.unused)
    return { rareSourceId: existing.rare, unusedSourceId: existing.unused, candidates: await count() };

  const tag = randomBytes(3).toString('hex');
  const [rare, unused] = await Promise.all(
    [RARE_SOURCE, UNUSED_SOURCE].map(async (name) => {
      const row = await db
        .insertInto('sources')
        .values({
          name: `${name} (history ${tag})`,
          connector: 'generic_webhook',
          base_url: `https://${name.toLowerCase().replace(/[^a-z]+/g, '-')}.example.com`,
          sync_endpoint: '/hooks/hired',
          is_active: false,
          health_status: 'healthy',
          headers: JSON.stringify({}),
          field_mapping: JSON.stringify({}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    }),
  );

  const missing = options.candidates - (await count());
  if (missing > 0) {
    const posting = await db
      .insertInto('job_postings')
      .values({ slug: `search-${tag}`, title: 'Applicants (search cases)', department: 'Talent', location: 'Remote' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      insert into candidates (job_posting_id, first_name, last_name, email, stage, created_at)
      select ${posting.id}::uuid, f.name, l.name,
             lower(f.name) || '.' || lower(l.name) || '.' || n || '@' ||
               (array['example.test', 'mail.example.test', 'corp.example.test', 'jobs.example.test'])[1 + n % 4],
             'applied', now() - make_interval(days => n % 60)
      from generate_series(1, ${missing}) as n
      cross join lateral (select (array['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken',
                                        'Margaret', 'Niklaus', 'Radia', 'Tim'])[1 + n % 12] as name) f
      cross join lateral (select (array['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen',
                                        'Thompson', 'Hamilton', 'Wirth', 'Perlman', 'Berners-Lee', 'Kay'])[1 + (n / 12) % 13] as name) l
    `.execute(db);
  }

  // The rare source got the same deliveries as a history source, for one run in a hundred.
  await db.transaction().execute(async (trx) => {
    await sql`
      create temp table rare_deliveries on commit drop as
      select d.* from sync_deliveries d
      where d.source_id = (select id from sources where name like 'Workday HRIS (history %' order by created_at limit 1)
        and abs(hashtext(d.run_id::text)) % 100 = 0
    `.execute(trx);
    await sql`
      insert into sync_deliveries (run_id, source_id, candidate_id, status, attempts, http_status, error_code, error_message,
        response_excerpt, duration_ms, external_id, payload_hash, idempotency_key, delivered_at, started_at, created_at, updated_at)
      select run_id, ${rare}::uuid, candidate_id, status, attempts, http_status, error_code, error_message,
             response_excerpt, duration_ms, external_id, payload_hash, md5(idempotency_key || ${rare}::text), delivered_at,
             started_at, created_at, updated_at
      from rare_deliveries
    `.execute(trx);
    await sql`
      insert into sync_run_progress (run_id, source_id, lane, total, succeeded, failed, skipped, cancelled)
      select run_id, ${rare}::uuid, '', count(*), count(*) filter (where status = 'succeeded'),
             count(*) filter (where status = 'failed'), count(*) filter (where status = 'skipped'),
             count(*) filter (where status = 'cancelled')
      from rare_deliveries group by run_id
    `.execute(trx);
    await sql`
      update sync_runs r set total = r.total + a.total, succeeded = r.succeeded + a.succeeded, failed = r.failed + a.failed,
             skipped = r.skipped + a.skipped, cancelled = r.cancelled + a.cancelled
      from (select run_id, count(*)::int as total, count(*) filter (where status = 'succeeded')::int as succeeded,
                   count(*) filter (where status = 'failed')::int as failed,
                   count(*) filter (where status = 'skipped')::int as skipped,
                   count(*) filter (where status = 'cancelled')::int as cancelled
            from rare_deliveries group by run_id) a
      where r.id = a.run_id
    `.execute(trx);
  });
  // As autovacuum would leave them by the time anyone searches: the visibility map set, so the
  // searches' index-only scans are index-only.
  await sql`vacuum (analyze) candidates, sync_deliveries, sync_runs`.execute(db);
  return { rareSourceId: rare, unusedSourceId: unused, candidates: await count() };
}

async function main(): Promise<void> {
  const { getDb, closeDb } = await import('@/lib/db');
  try {
    const result = await seedSyncHistory(getDb(), {
      runs: Number(process.env.SEED_RUNS ?? 100_000),
      days: Number(process.env.SEED_DAYS ?? 30),
    });
    console.log(
      `seeded ${result.runs.toLocaleString('en')} runs and ${result.deliveries.toLocaleString('en')} deliveries ` +
        `over ${process.env.SEED_DAYS ?? 30} days in ${result.seconds.toFixed(1)} s (tag ${result.tag})`,
    );
    const cases = await seedSearchCases(getDb(), { candidates: Number(process.env.SEED_CANDIDATES ?? 500_000) });
    console.log(
      `search cases: ${cases.candidates.toLocaleString('en')} candidates, a rarely used and an unused source`,
    );
  } finally {
    await closeDb();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  if (process.env.DATABASE_URL === undefined && (await import('node:fs')).existsSync('.env'))
    process.loadEnvFile('.env');
  main().catch((err) => {
    console.error(`seeding failed: ${(err as Error).message}`);
    process.exitCode = 1;
  });
}
