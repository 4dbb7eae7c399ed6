import { route } from '@/lib/api/route';
import { countTasksQuerySchema } from '@/lib/sync-admin/schemas';
import { countTasks } from '@/lib/sync-admin/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route(
  { access: 'admin', scope: 'syncs:read', query: countTasksQuerySchema },
  ({ db, actor, query }) => countTasks(db, actor, query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
