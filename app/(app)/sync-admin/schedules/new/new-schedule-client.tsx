'use client';

import { useRouter } from 'next/navigation';
import type { CreateScheduleInput } from '@/lib/schedules/schemas';
import type { PublicSource } from '@/lib/sources/schemas';
import { useScheduleActions } from '@/lib/swr/use-schedules';
import { ScheduleForm } from '../schedule-form-client';
import { SchedulePageHeader } from '../schedule-page-header';

type Props = { sources: PublicSource[]; timeZones: string[]; catchUp: boolean };

export function NewScheduleClient(props: Props) {
  const router = useRouter();
  const { createSchedule } = useScheduleActions();

  async function onSave(input: CreateScheduleInput) {
    const schedule = await createSchedule(input);
    router.push(`/sync-admin/schedules?saved=${schedule.id}`);
  }

  return (
    <div className="space-y-8">
      <SchedulePageHeader
        title="New schedule"
        description="Syncs hired candidates to sources on a timetable, as if someone pressed Sync to Sources."
      />
      <ScheduleForm {...props} onSave={(input) => onSave(input as CreateScheduleInput)} />
    </div>
  );
}
