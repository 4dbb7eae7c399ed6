import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { createTestUser } from '@/test/fixtures';
import { authenticateWithPassword } from '@/lib/users/service';
import { runMaintenance } from '@/lib/maintenance/retention';
import { hitRateLimits } from './rate-limit';

describe('sign-in brute force protection', () => {
  it('refuses an account after 5 failures, even with the right password, and counts per address', async () => {
    const db = getDb();
    const user = await createTestUser('recruiter');
    for (let i = 0; i < 5; i++)
      expect(await authenticateWithPassword(db, user.email, 'wrong-guess', '203.0.113.7')).toBeNull();
    await expect(authenticateWithPassword(db, user.email, user.password, '203.0.113.7')).rejects.toMatchObject({
      code: 'rate_limited',
    });
    const audit = await db.selectFrom('audit_events').select('action').where('action', 'like', 'auth.%').execute();
    expect(audit.filter((a) => a.action === 'auth.sign_in_failed')).toHaveLength(5);
    expect(audit.filter((a) => a.action === 'auth.sign_in_rate_limited')).toHaveLength(1);

    // Another account from the same address still works, until the address itself is over its limit.
    const other = await createTestUser('recruiter');
    expect(await authenticateWithPassword(db, other.email, other.password, '203.0.113.7')).not.toBeNull();
    for (let i = 0; i < 20; i++)
      await authenticateWithPassword(db, `nobody${i}@example.test`, 'x', '203.0.113.8').catch(() => null);
    await expect(authenticateWithPassword(db, other.email, other.password, '203.0.113.8')).rejects.toMatchObject({
      code: 'rate_limited',
    });
  });

  it('a success resets the account counter; windows expire', async () => {
    const db = getDb();
    const user = await createTestUser('recruiter');
    for (let i = 0; i < 4; i++) await authenticateWithPassword(db, user.email, 'nope', null);
    expect(await authenticateWithPassword(db, user.email, user.password, null)).not.toBeNull();
    for (let i = 0; i < 4; i++) await authenticateWithPassword(db, user.email, 'nope', null);
    expect(await authenticateWithPassword(db, user.email, user.password, null)).not.toBeNull();

    // A window long enough that both hits fall into it however slow the machine; its end is then
    // reached by moving its start back rather than by waiting for the clock.
    const rule = { key: 'test:window', limit: 1, windowSeconds: 900 };
    expect((await hitRateLimits(db, [rule])).limited).toBe(false);
    const over = await hitRateLimits(db, [rule]);
    expect(over.limited).toBe(true);
    expect(over.retryAfterSeconds).toBeGreaterThanOrEqual(0);
    await db
      .updateTable('rate_limits')
      .set({ window_start: sql`now() - make_interval(secs => ${rule.windowSeconds + 1})` })
      .where('key', '=', rule.key)
      .execute();
    expect((await hitRateLimits(db, [rule])).limited).toBe(false);
  });

  it('the maintenance job prunes rate-limit windows long over and keeps the live ones', async () => {
    const db = getDb();
    const hourAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    await db
      .insertInto('rate_limits')
      .values([
        { key: 'signin:account:old@example.test', window_start: hourAgo(30), count: 9 },
        { key: 'signin:ip:203.0.113.50', window_start: hourAgo(25), count: 3 },
        { key: 'signin:account:live@example.test', window_start: new Date(), count: 2 },
      ])
      .execute();
    const dry = await runMaintenance(db, { syncHistoryDays: 90, auditRetentionDays: 365 }, { dryRun: true });
    expect(dry.rate_limits).toBe(2);
    const result = await runMaintenance(db, { syncHistoryDays: 90, auditRetentionDays: 365 });
    expect(result.rate_limits).toBe(2);
    const left = await db
      .selectFrom('rate_limits')
      .select('key')
      .where('key', 'in', [
        'signin:account:old@example.test',
        'signin:ip:203.0.113.50',
        'signin:account:live@example.test',
      ])
      .execute();
    expect(left.map((r) => r.key)).toEqual(['signin:account:live@example.test']);
  });
});
