import { route } from '@/lib/api/route';
import { listTasksQuerySchema } from '@/lib/sync-admin/schemas';
import { listTasks } from '@/lib/sync-admin/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route(
  { access: 'admin', scope: 'syncs:read', query: listTasksQuerySchema },
  ({ db, actor, query }) => listTasks(db, actor, query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
