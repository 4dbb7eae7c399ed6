import { describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { createTestUser } from '@/test/fixtures';
import { getUserByEmail, updateUser } from './service';

const admin = systemActor('test');

describe('users service', () => {
  it('finds a user by email for admins only', async () => {
    const user = await createTestUser('recruiter');
    expect(await getUserByEmail(getDb(), admin, user.email.toUpperCase())).toMatchObject({ id: user.id });
    await expect(getUserByEmail(getDb(), admin, 'nobody@example.test')).rejects.toMatchObject({
      code: 'user_not_found',
    });
    const asRecruiter = { kind: 'user', ...user, via: 'session' } as const;
    await expect(getUserByEmail(getDb(), asRecruiter, user.email)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('records deactivation and reactivation as their own audit actions', async () => {
    const user = await createTestUser('recruiter');
    await updateUser(getDb(), admin, user.id, { is_active: false });
    await updateUser(getDb(), admin, user.id, { is_active: true });
    await updateUser(getDb(), admin, user.id, { name: 'Renamed' });
    const events = await getDb()
      .selectFrom('audit_events')
      .select(['action', 'actor_email'])
      .where('target_id', '=', user.id)
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { action: 'user.deactivated', actor_email: 'system:test' },
      { action: 'user.reactivated', actor_email: 'system:test' },
      { action: 'user.updated', actor_email: 'system:test' },
    ]);
  });
});
