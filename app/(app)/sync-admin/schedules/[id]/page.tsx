import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireAdminView } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { isAppError } from '@/lib/errors';
import { getSender } from '@/lib/queue/sender';
import { getScheduleOrThrow } from '@/lib/schedules/service';
import { loadScheduleFormData } from '../form-data';
import { EditScheduleClient } from './edit-schedule-client';

export const metadata: Metadata = { title: 'Edit schedule' };

type Props = { params: Promise<{ id: string }> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function EditSchedulePage({ params }: Props) {
  const { id } = await params;
  const actor = await requireAdminView(`/sync-admin/schedules/${id}`);
  if (!UUID.test(id)) notFound();
  const schedule = await getScheduleOrThrow(getDb(), await getSender(), actor, id).catch((err) => {
    if (isAppError(err) && err.code === 'schedule_not_found') notFound();
    throw err;
  });
  return <EditScheduleClient schedule={schedule} {...(await loadScheduleFormData(actor))} />;
}
