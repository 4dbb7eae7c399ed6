'use client';

import { useRouter } from 'next/navigation';
import { useCanWrite } from '@/app/components/write-access-client';
import type { PublicSchedule, UpdateScheduleInput } from '@/lib/schedules/schemas';
import type { PublicSource } from '@/lib/sources/schemas';
import { useScheduleActions } from '@/lib/swr/use-schedules';
import { ScheduleForm } from '../schedule-form-client';
import { SchedulePageHeader } from '../schedule-page-header';

type Props = { schedule: PublicSchedule; sources: PublicSource[]; timeZones: string[]; catchUp: boolean };

export function EditScheduleClient({ schedule, ...props }: Props) {
  const router = useRouter();
  const { updateSchedule } = useScheduleActions();
  const canWrite = useCanWrite();

  async function onSave(input: UpdateScheduleInput) {
    await updateSchedule(schedule.id, input);
    router.push(`/sync-admin/schedules?saved=${schedule.id}`);
  }

  return (
    <div className="space-y-8">
      <SchedulePageHeader
        title={canWrite ? `Edit ${schedule.name}` : schedule.name}
        description={canWrite ? 'Changes apply from the next run on.' : 'Read only: the viewer role changes nothing.'}
      />
      {/* A viewer reads the schedule in the same form, every field read only. */}
      <fieldset disabled={!canWrite} className="contents">
        <ScheduleForm schedule={schedule} {...props} onSave={(input) => onSave(input as UpdateScheduleInput)} />
      </fieldset>
    </div>
  );
}
