import { route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { previewQuerySchema } from '@/lib/schedules/schemas';
import { previewSchedule } from '@/lib/schedules/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'admin', scope: 'schedules:read', query: previewQuerySchema }, async ({ query }) =>
  previewSchedule(await getSender(), query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
