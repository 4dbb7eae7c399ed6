import { z } from 'zod';
import { route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { updateScheduleSchema } from '@/lib/schedules/schemas';
import { deleteSchedule, getScheduleOrThrow, updateSchedule } from '@/lib/schedules/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const GET = route({ access: 'admin', scope: 'schedules:read', params }, async ({ db, actor, params }) =>
  getScheduleOrThrow(db, await getSender(), actor, params.id),
);

export const PATCH = route(
  { access: 'admin', scope: 'schedules:write', params, body: updateScheduleSchema },
  async ({ db, actor, params, body }) => updateSchedule(db, await getSender(), actor, params.id, body),
);

export const DELETE = route({ access: 'admin', scope: 'schedules:write', params }, async ({ db, actor, params }) =>
  deleteSchedule(db, await getSender(), actor, params.id),
);

export const { POST, PUT, OPTIONS } = otherMethods('GET', 'PATCH', 'DELETE');
