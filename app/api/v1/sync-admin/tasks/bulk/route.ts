import { route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { bulkTasksSchema } from '@/lib/sync-admin/schemas';
import { bulkTasks } from '@/lib/sync-admin/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const POST = route(
  { access: 'admin', scope: 'syncs:write', body: bulkTasksSchema },
  async ({ db, actor, body }) => bulkTasks(db, await getSender(), actor, body),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
