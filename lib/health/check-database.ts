import { sql } from 'kysely';
import type { Database } from '@/db/client';

export type CheckResult = { ok: boolean; latency_ms: number; error?: string };

/** A bounded round trip to the database: a down server answers within two seconds, not thirty. */
export async function checkDatabase(db: Database, timeoutMs = 2000): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(db),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      }),
    ]);
    return { ok: true, latency_ms: Math.round(performance.now() - started) };
  } catch (err) {
    const code = (err as { code?: string }).code;
    return {
      ok: false,
      latency_ms: Math.round(performance.now() - started),
      error: code === 'ECONNREFUSED' ? 'connection refused' : (err as Error).message.slice(0, 200),
    };
  } finally {
    clearTimeout(timer);
  }
}
