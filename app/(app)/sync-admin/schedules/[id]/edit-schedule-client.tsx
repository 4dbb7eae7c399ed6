'use client';

import { useRouter } from 'next/navigation';
import type { PublicSchedule, UpdateScheduleInput } from '@/lib/schedules/schemas';
import type { PublicSource } from '@/lib/sources/schemas';
import { useScheduleActions } from '@/lib/swr/use-schedules';
import { ScheduleForm } from '../schedule-form-client';
import { SchedulePageHeader } from '../schedule-page-header';

type Props = { schedule: PublicSchedule; sources: PublicSource[]; timeZones: string[]; catchUp: boolean };

export function EditScheduleClient({ schedule, ...props }: Props) {
  const router = useRouter();
  const { updateSchedule } = useScheduleActions();

  async function onSave(input: UpdateScheduleInput) {
    await updateSchedule(schedule.id, input);
    router.push(`/sync-admin/schedules?saved=${schedule.id}`);
  }

  return (
    <div className="space-y-8">
      <SchedulePageHeader title={`Edit ${schedule.name}`} description="Changes apply from the next run on." />
      <ScheduleForm schedule={schedule} {...props} onSave={(input) => onSave(input as UpdateScheduleInput)} />
    </div>
  );
}
