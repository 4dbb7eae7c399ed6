import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth/session';
import { loadScheduleFormData } from '../form-data';
import { NewScheduleClient } from './new-schedule-client';

export const metadata: Metadata = { title: 'New schedule' };

export default async function NewSchedulePage() {
  const actor = await requireAdmin('/sync-admin/schedules/new');
  return <NewScheduleClient {...(await loadScheduleFormData(actor))} />;
}
