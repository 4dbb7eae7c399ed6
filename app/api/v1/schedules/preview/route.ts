import { route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { previewQuerySchema } from '@/lib/schedules/schemas';
import { previewSchedule } from '@/lib/schedules/service';

export const GET = route({ access: 'admin', query: previewQuerySchema }, async ({ query }) =>
  previewSchedule(await getSender(), query),
);
