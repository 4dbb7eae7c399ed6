import { sql } from 'kysely';
import type { Database } from '@/db/client';

export type RateLimitRule = { key: string; limit: number; windowSeconds: number };

/**
 * Counts one attempt against each rule (fixed window, in PostgreSQL so every web instance shares
 * it) and says whether any rule is now over its limit, and for how long.
 */
export async function hitRateLimits(
  db: Database,
  rules: RateLimitRule[],
): Promise<{ limited: boolean; retryAfterSeconds: number }> {
  let limited = false;
  let retryAfterSeconds = 0;
  for (const rule of rules) {
    const { rows } = await sql<{ count: number; reset_in: number }>`
      insert into rate_limits as r (key, window_start, count) values (${rule.key}, now(), 1)
      on conflict (key) do update set
        count = case when r.window_start < now() - make_interval(secs => ${rule.windowSeconds}) then 1 else r.count + 1 end,
        window_start = case when r.window_start < now() - make_interval(secs => ${rule.windowSeconds}) then now() else r.window_start end
      returning count, ceil(extract(epoch from (window_start + make_interval(secs => ${rule.windowSeconds}) - now())))::int as reset_in
    `.execute(db);
    const row = rows[0];
    if (row.count > rule.limit) {
      limited = true;
      retryAfterSeconds = Math.max(retryAfterSeconds, row.reset_in);
    }
  }
  return { limited, retryAfterSeconds };
}

/** Whether any rule is already over its limit, without counting an attempt. */
export async function isRateLimited(db: Database, rules: RateLimitRule[]): Promise<boolean> {
  if (rules.length === 0) return false;
  const rows = await db
    .selectFrom('rate_limits')
    .select(['key', 'count', 'window_start'])
    .where(
      'key',
      'in',
      rules.map((r) => r.key),
    )
    .execute();
  return rules.some((rule) => {
    const row = rows.find((r) => r.key === rule.key);
    return !!row && row.count >= rule.limit && row.window_start.getTime() > Date.now() - rule.windowSeconds * 1000;
  });
}

export async function clearRateLimit(db: Database, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}

/** Sign-in failures allowed per account and per address within 15 minutes. */
export function signInRules(email: string, ip: string | null): RateLimitRule[] {
  const rules: RateLimitRule[] = [{ key: `signin:account:${email.toLowerCase()}`, limit: 5, windowSeconds: 900 }];
  if (ip) rules.push({ key: `signin:ip:${ip}`, limit: 20, windowSeconds: 900 });
  return rules;
}
