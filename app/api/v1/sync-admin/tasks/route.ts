import { route } from '@/lib/api/route';
import { listTasksQuerySchema } from '@/lib/sync-admin/schemas';
import { listTasks } from '@/lib/sync-admin/service';

export const GET = route({ access: 'admin', query: listTasksQuerySchema }, ({ db, actor, query }) =>
  listTasks(db, actor, query),
);
