import { sql } from 'kysely';
import type { Database } from '@/db/client';

export type RateLimitRule = { key: string; limit: number; windowSeconds: number };

/**
 * Counts one attempt against each rule (fixed window, in PostgreSQL so every web instance shares
 * it) and says whether any rule is now over its limit, and for how long. Each rule is one atomic
 * statement, so parallel callers each get their own count: callers reserve the attempt this way
 * before the work it protects, and at most `limit` of them get through.
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

/** Gives back one counted attempt (a successful sign-in should not use up an address's allowance). */
export async function releaseRateLimit(db: Database, key: string): Promise<void> {
  await db
    .updateTable('rate_limits')
    .set((eb) => ({ count: eb('count', '-', 1) }))
    .where('key', '=', key)
    .where('count', '>', 0)
    .execute();
}

export async function clearRateLimit(db: Database, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}

/**
 * Sign-in attempts per account and per address within 15 minutes. Every attempt is counted; a
 * success clears its account's count and gives its address's attempt back.
 */
export function signInRules(email: string, ip: string | null): RateLimitRule[] {
  const rules: RateLimitRule[] = [{ key: `signin:account:${email.toLowerCase()}`, limit: 5, windowSeconds: 900 }];
  if (ip) rules.push({ key: `signin:ip:${ip}`, limit: 20, windowSeconds: 900 });
  return rules;
}
