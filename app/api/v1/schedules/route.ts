import { json, route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { createScheduleSchema } from '@/lib/schedules/schemas';
import { createSchedule, listSchedules } from '@/lib/schedules/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'admin', scope: 'schedules:read' }, async ({ db, actor }) => ({
  data: await listSchedules(db, await getSender(), actor),
}));

export const POST = route(
  { access: 'admin', scope: 'schedules:write', body: createScheduleSchema },
  async ({ db, actor, body }) => json(await createSchedule(db, await getSender(), actor, body), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
