/**
 * What the sync bench reads off the machine: CPU per process, memory of a process, the database's
 * connections, and the small arithmetic the table needs.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { sql } from 'kysely';
import type { CpuSnapshot, Stack } from '../lib/bench-stack';
import { sleep } from '../lib/bench-stack';

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
export const median = (values: number[]) => percentile(values, 50);

export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(after)) {
    if (before[name] !== undefined) out[name] = round(value - before[name], 3);
  }
  return out;
}

/**
 * CPU milliseconds per delivery by process, and the rate the machine could reach if nothing but CPU
 * limited it (all cores busy with this work alone): robust to other load on a shared machine.
 */
export function cpuPerDelivery(cpu: Record<string, number>, deliveries: number) {
  const perDelivery = Object.fromEntries(
    Object.entries(cpu).map(([name, seconds]) => [name, round((seconds * 1000) / deliveries, 3)]),
  );
  const total = Object.values(perDelivery).reduce((n, ms) => n + ms, 0);
  return {
    cpu_ms_per_delivery: { ...perDelivery, total: round(total, 3) },
    cpu_bound_deliveries_per_s: Math.round((os.cpus().length * 1000) / total),
  };
}

/**
 * The whole machine's CPU since this call, from /proc/stat: the share busy (0-1, others' processes
 * included), and the share the hypervisor gave to other guests while this one wanted it (steal).
 * This shared VM also runs the same code slower on some days without showing steal; when there
 * is steal, the figures say so.
 */
export function machineCpu(): () => { busy: number; steal: number } {
  const read = () => {
    // user nice system idle iowait irq softirq steal (guest time is counted in user already)
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    return { idle: fields[3] + (fields[4] ?? 0), steal: fields[7] ?? 0, total: fields.reduce((n, v) => n + v, 0) };
  };
  const before = read();
  return () => {
    const after = read();
    const total = after.total - before.total;
    if (total <= 0) return { busy: Number.NaN, steal: Number.NaN };
    return { busy: 1 - (after.idle - before.idle) / total, steal: (after.steal - before.steal) / total };
  };
}

/**
 * What limited a timed piece of work, from the CPU its processes used over its wall time and how
 * busy the whole machine was: our processes keeping (nearly) all cores busy is CPU, named by the
 * process that used most; a machine busy with other work is that; otherwise it waited (on the
 * receiver's latency, a timer, a queue's pick-up, a lock), which `waitingOn` names.
 */
export function limitedBy(
  cpu: Record<string, number>,
  wallSeconds: number,
  waitingOn: string,
  machine?: number,
  steal?: number,
): string {
  const cores = os.cpus().length;
  const total = Object.values(cpu).reduce((n, s) => n + s, 0);
  const busy = total / wallSeconds / cores;
  const [top, topSeconds] = Object.entries(cpu).sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
  const share = total > 0 ? Math.round((topSeconds / total) * 100) : 0;
  const limit =
    busy >= 0.8
      ? `CPU ${Math.round(busy * 100)}% (${top} ${share}%)`
      : machine !== undefined && machine >= 0.9
        ? `CPU: machine ${Math.round(machine * 100)}% busy, ours ${Math.round(busy * 100)}% (other load)`
        : `${waitingOn} (CPU ${Math.round(busy * 100)}%)`;
  return steal !== undefined && steal >= 0.01 ? `${limit}; VM steal ${Math.round(steal * 100)}%` : limit;
}

/** Resident memory of one process in MiB, from /proc (Linux only); NaN when it is gone. */
export function rssMiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? round(Number(line.split(/\s+/)[1]) / 1024, 1) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export type PeakReport = {
  worker_rss_mib: number;
  db_connections: number;
  db_connections_by_app: Record<string, number>;
};

/**
 * Samples the workers' memory and the database's connections (the product's, not the bench's own) every `intervalMs` until stopped,
 * and reports the peaks: the two things that could grow with the number of sources.
 */
export function samplePeaks(stack: Stack, intervalMs = 100) {
  let stopped = false;
  const peak: PeakReport = { worker_rss_mib: 0, db_connections: 0, db_connections_by_app: {} };
  const loop = (async () => {
    while (!stopped) {
      for (const [name, pid] of Object.entries(stack.pids())) {
        if (name.startsWith('worker')) peak.worker_rss_mib = Math.max(peak.worker_rss_mib, rssMiB(pid) || 0);
      }
      const { rows } = await sql<{ app: string; n: number }>`
        select coalesce(nullif(application_name, ''), backend_type) as app, count(*)::int as n
        from pg_stat_activity
        where datname = current_database() and application_name <> 'ats-sync-bench' group by 1
      `.execute(stack.db);
      const total = rows.reduce((n, r) => n + r.n, 0);
      if (total > peak.db_connections) {
        peak.db_connections = total;
        peak.db_connections_by_app = Object.fromEntries(rows.map((r) => [r.app, r.n]));
      }
      await sleep(intervalMs);
    }
  })();
  return {
    stop: async (): Promise<PeakReport> => {
      stopped = true;
      await loop;
      return peak;
    },
  };
}
