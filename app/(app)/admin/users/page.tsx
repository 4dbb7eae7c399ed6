import type { Metadata } from 'next';
import { requireAdminView } from '@/lib/auth/session';
import { getSsoOverview } from '@/lib/auth/sso/overview';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { listUsers } from '@/lib/users/service';
import { SsoSection } from './sso-section';
import { UsersClient } from './users-client';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const actor = await requireAdminView('/admin/users');
  const [users, sso] = await Promise.all([listUsers(getDb(), actor), getSsoOverview(getDb(), actor, getEnv())]);
  return (
    <div className="space-y-8">
      <UsersClient initialUsers={users} currentUserId={actor.id} roleClaim={sso.sso?.roleClaim ?? null} />
      <SsoSection overview={sso} />
    </div>
  );
}
