import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { createTestUser } from '@/lib/testing/fixtures';
import { authenticateWithPassword } from '@/lib/users/service';
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

    const rule = { key: 'test:window', limit: 1, windowSeconds: 1 };
    expect((await hitRateLimits(db, [rule])).limited).toBe(false);
    const over = await hitRateLimits(db, [rule]);
    expect(over.limited).toBe(true);
    expect(over.retryAfterSeconds).toBeGreaterThanOrEqual(0);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await hitRateLimits(db, [rule])).limited).toBe(false);
  });
});
