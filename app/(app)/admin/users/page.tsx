import type { Metadata } from 'next';
import { requireAdminView } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listUsers } from '@/lib/users/service';
import { UsersClient } from './users-client';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const actor = await requireAdminView('/admin/users');
  const users = await listUsers(getDb(), actor);
  return <UsersClient initialUsers={users} currentUserId={actor.id} />;
}
