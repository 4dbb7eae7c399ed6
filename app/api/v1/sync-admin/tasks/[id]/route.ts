import { route } from '@/lib/api/route';
import { taskParamsSchema } from '@/lib/sync-admin/schemas';
import { getTask } from '@/lib/sync-admin/service';

export const GET = route({ access: 'admin', params: taskParamsSchema }, ({ db, actor, params }) =>
  getTask(db, actor, params.id),
);
