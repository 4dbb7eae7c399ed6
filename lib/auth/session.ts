import 'server-only';
import { getServerSession } from 'next-auth';
import { forbidden, redirect } from 'next/navigation';
import { headers } from 'next/headers';
import { type Actor, canReadAdmin } from '@/lib/auth/actor';
import { getAuthOptions } from '@/lib/auth/options';
import { clientIp } from '@/lib/api/client-ip';

export type SessionActor = Extract<Actor, { kind: 'user' }>;

/** The signed-in, still-active user for a server component, or null. */
export async function getCurrentActor(): Promise<SessionActor | null> {
  // Reading request headers first also marks every page that asks for the user as dynamic.
  const requestHeaders = await headers();
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!user) return null;
  return { kind: 'user', ...user, via: 'session', ip: clientIp(requestHeaders) };
}

export async function requireUser(callbackPath = '/'): Promise<SessionActor> {
  const actor = await getCurrentActor();
  if (!actor) redirect(`/login?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return actor;
}

/** For a page that reads what admins read: admins and viewers (who see it without its write controls). */
export async function requireAdminView(callbackPath = '/'): Promise<SessionActor> {
  const actor = await requireUser(callbackPath);
  if (!canReadAdmin(actor)) forbidden();
  return actor;
}

/** For a page that only writes (a "new" form): admins alone. */
export async function requireAdmin(callbackPath = '/'): Promise<SessionActor> {
  const actor = await requireUser(callbackPath);
  if (actor.role !== 'admin') forbidden();
  return actor;
}
