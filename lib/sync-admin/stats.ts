import type { Database } from '@/db/client';
import type { Source } from '@/db/types';
import { addBins, percentile } from './histogram';
import {
  aggregateRange,
  type Bucket,
  CHANGE_MARGIN_MS,
  type ErrorBucket,
  type PostingBucket,
  loadBuckets,
  toBucketRows,
} from './stats-repository';
import { RUN_STATUSES, type RunCounts, type SourceStats, type StatsWindow, WINDOW_MS } from './schemas';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export type SourceTotals = {
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  unfinished: number;
  bins: number[];
};

/** Everything the statistics are made of for one window, before it is shaped for an answer. */
export type WindowData = {
  from: Date;
  to: Date;
  runs: RunCounts;
  sources: Map<string, SourceTotals>;
  /** Hour start (ISO) → deliveries that succeeded and failed. */
  hours: Map<string, { succeeded: number; failed: number }>;
  /** UTC day (YYYY-MM-DD) → deliveries by outcome. */
  days: Map<string, { succeeded: number; failed: number; skipped: number }>;
  /** Posting id → its runs (only with `detail`). */
  postings: Map<string, Omit<PostingBucket, 'job_posting_id'>>;
  /** Failures by code and message (only with `detail`). */
  errors: ErrorGroup[];
};

export type ErrorGroup = {
  error_code: string | null;
  message: string;
  count: number;
  source_ids: string[];
  last_seen: Date;
  example_run_id: string;
};

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const isoHour = (t: number) => `${new Date(t).toISOString().slice(0, 13)}:00:00Z`;
const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;
const ceilTo = (t: number, unit: number) => Math.ceil(t / unit) * unit;

function hourBuckets(from: number, to: number): Bucket[] {
  const out: Bucket[] = [];
  for (let t = from; t < to; t += HOUR) out.push({ start: t, hours: 1 });
  return out;
}

/**
 * Splits a window into the buckets read from the cache (whole hours that ended a little while ago,
 * and whole UTC days where the window spans them) and the live edges aggregated from the
 * deliveries: the part of an hour the window starts in and the last hour or so.
 */
export function planWindow(now: Date, window: StatsWindow): { from: Date; cached: Bucket[]; live: [Date, Date][] } {
  const to = now.getTime();
  const from = to - WINDOW_MS[window];
  const cacheEnd = floorTo(to - CHANGE_MARGIN_MS, HOUR);
  const firstHour = ceilTo(from, HOUR);
  if (firstHour >= cacheEnd) return { from: new Date(from), cached: [], live: [[new Date(from), now]] };
  const firstDay = ceilTo(firstHour, DAY);
  const lastDay = floorTo(cacheEnd, DAY);
  const cached: Bucket[] = [];
  if (firstDay < lastDay) {
    cached.push(...hourBuckets(firstHour, firstDay));
    for (let t = firstDay; t < lastDay; t += DAY) cached.push({ start: t, hours: 24 });
    cached.push(...hourBuckets(lastDay, cacheEnd));
  } else {
    cached.push(...hourBuckets(firstHour, cacheEnd));
  }
  const live: [Date, Date][] = [];
  if (from < firstHour) live.push([new Date(from), new Date(firstHour)]);
  live.push([new Date(cacheEnd), now]);
  return { from: new Date(from), cached, live };
}

function emptyTotals(): SourceTotals {
  return { succeeded: 0, failed: 0, skipped: 0, cancelled: 0, unfinished: 0, bins: [] };
}

/** `detail`: also the postings and errors of the window (the report; the dashboard does without). */
export async function loadWindow(
  db: Database,
  window: StatsWindow,
  now = new Date(),
  options: { detail?: boolean } = {},
): Promise<WindowData> {
  const plan = planWindow(now, window);
  const [cached, ...live] = await Promise.all([
    loadBuckets(db, plan.cached, options),
    ...plan.live.map(async ([a, b]) =>
      toBucketRows(hourBuckets(floorTo(a.getTime(), HOUR), ceilTo(b.getTime(), HOUR)), await aggregateRange(db, a, b)),
    ),
  ]);
  const runs = { total: 0, ...Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) } as RunCounts;
  const sources = new Map<string, SourceTotals>();
  const hours = new Map<string, { succeeded: number; failed: number }>();
  const days = new Map<string, { succeeded: number; failed: number; skipped: number }>();
  // Looked up by epoch hour and day while folding (a month is some 10,000 source-hours), named
  // once each; both maps keep the chronological order they are built in.
  const firstHour = floorTo(plan.from.getTime(), HOUR);
  const hourSlots: { succeeded: number; failed: number }[] = [];
  const daySlots = new Map<number, { succeeded: number; failed: number; skipped: number }>();
  for (let t = firstHour; t <= now.getTime(); t += HOUR) {
    const slot = { succeeded: 0, failed: 0 };
    hourSlots.push(slot);
    hours.set(isoHour(t), slot);
    const day = floorTo(t, DAY);
    if (!daySlots.has(day)) {
      const totals = { succeeded: 0, failed: 0, skipped: 0 };
      daySlots.set(day, totals);
      days.set(isoDay(t), totals);
    }
  }
  const postings = new Map<string, Omit<PostingBucket, 'job_posting_id'>>();
  const errors = new Map<string, ErrorGroup>();
  const addPostings = (list: PostingBucket[]) => {
    for (const { job_posting_id, ...p } of list) {
      const t = postings.get(job_posting_id);
      if (!t) postings.set(job_posting_id, { ...p });
      else {
        t.runs += p.runs;
        t.failed_runs += p.failed_runs;
        t.succeeded += p.succeeded;
        t.failed += p.failed;
        t.skipped += p.skipped;
        if (p.last_run_at > t.last_run_at) t.last_run_at = p.last_run_at;
      }
    }
  };
  const addErrors = (list: ErrorBucket[]) => {
    for (const e of list) {
      const key = JSON.stringify([e.error_code, e.message]);
      const g = errors.get(key);
      if (!g) {
        errors.set(key, { ...e, source_ids: [e.source_id] });
        continue;
      }
      g.count += e.count;
      if (!g.source_ids.includes(e.source_id)) g.source_ids.push(e.source_id);
      if (e.last_seen > g.last_seen) {
        g.last_seen = e.last_seen;
        g.example_run_id = e.example_run_id;
      }
    }
  };
  if (options.detail) {
    addPostings(cached.postings);
    addErrors(cached.errors);
  }
  for (const row of [...cached.rows, ...live.flat()]) {
    for (const status of RUN_STATUSES) runs[status] += row.runs[status];
    if (options.detail) {
      addPostings(row.postings);
      addErrors(row.errors);
    }
    const day = daySlots.get(floorTo(row.start, DAY));
    for (const s of row.sources) {
      let t = sources.get(s.source_id);
      if (!t) {
        t = emptyTotals();
        sources.set(s.source_id, t);
      }
      t.succeeded += s.succeeded;
      t.failed += s.failed;
      t.skipped += s.skipped;
      t.cancelled += s.cancelled;
      t.unfinished += s.unfinished;
      addBins(t.bins, s.duration_bins);
      if (day) {
        day.succeeded += s.succeeded;
        day.failed += s.failed;
        day.skipped += s.skipped;
      }
      for (let h = 0; h < row.hours; h++) {
        const bucket = hourSlots[(row.start - firstHour) / HOUR + h];
        if (!bucket) continue;
        bucket.succeeded += s.hourly_succeeded[h] ?? 0;
        bucket.failed += s.hourly_failed[h] ?? 0;
      }
    }
  }
  runs.total = RUN_STATUSES.reduce((sum, s) => sum + runs[s], 0);
  return {
    from: plan.from,
    to: now,
    runs,
    sources,
    hours,
    days,
    postings,
    errors: [...errors.values()].map(({ error_code, message, count, source_ids, last_seen, example_run_id }) => ({
      error_code,
      message,
      count,
      source_ids,
      last_seen,
      example_run_id,
    })),
  };
}

/** succeeded / (succeeded + failed): skipped, cancelled and unfinished deliveries sent nothing yet. */
export function successRate(succeeded: number, failed: number): number | null {
  return succeeded + failed === 0 ? null : Math.round((succeeded / (succeeded + failed)) * 10_000) / 10_000;
}

/** Every source that exists, and any deleted one that still has deliveries in the window. */
export function sourceStats(data: WindowData, sources: Source[]): SourceStats[] {
  const known = new Map(sources.map((s) => [s.id, s]));
  const ids = new Set([...sources.filter((s) => !s.deleted_at).map((s) => s.id), ...data.sources.keys()]);
  return [...ids]
    .map((id) => {
      const t = data.sources.get(id) ?? emptyTotals();
      const s = known.get(id);
      return {
        source_id: id,
        name: s?.name ?? 'Unknown source',
        succeeded: t.succeeded,
        failed: t.failed,
        skipped: t.skipped,
        cancelled: t.cancelled,
        unfinished: t.unfinished,
        success_rate: successRate(t.succeeded, t.failed),
        p50_ms: percentile(t.bins, 50),
        p95_ms: percentile(t.bins, 95),
        health: s?.health_status ?? 'unknown',
        health_error: s?.health_error ?? null,
        health_checked_at: s?.health_checked_at?.toISOString() ?? null,
        last_success_at: s?.last_success_at?.toISOString() ?? null,
        consecutive_failures: s?.consecutive_failures ?? 0,
        is_active: s ? s.is_active && !s.deleted_at : false,
        deleted: !s || !!s.deleted_at,
      };
    })
    .sort((a, b) => Number(a.deleted) - Number(b.deleted) || a.name.localeCompare(b.name));
}
