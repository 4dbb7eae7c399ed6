import { route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { bulkTasksSchema } from '@/lib/sync-admin/schemas';
import { bulkTasks } from '@/lib/sync-admin/service';

export const POST = route({ access: 'admin', body: bulkTasksSchema }, async ({ db, actor, body }) =>
  bulkTasks(db, await getSender(), actor, body),
);
