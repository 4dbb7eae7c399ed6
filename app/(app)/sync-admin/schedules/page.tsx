import type { Metadata } from 'next';
import { requireAdminView } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getSender } from '@/lib/queue/sender';
import { listSchedules } from '@/lib/schedules/service';
import { SchedulesClient } from './schedules-client';

export const metadata: Metadata = { title: 'Schedules' };

type Props = { searchParams: Promise<{ saved?: string }> };

export default async function SchedulesPage({ searchParams }: Props) {
  const actor = await requireAdminView('/sync-admin/schedules');
  const schedules = await listSchedules(getDb(), await getSender(), actor);
  return <SchedulesClient initialSchedules={schedules} savedId={(await searchParams).saved ?? null} />;
}
