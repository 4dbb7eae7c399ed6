import { route } from '@/lib/api/route';
import { taskParamsSchema } from '@/lib/sync-admin/schemas';
import { cancelTask } from '@/lib/sync-admin/service';

export const POST = route({ access: 'admin', params: taskParamsSchema }, ({ db, actor, params }) =>
  cancelTask(db, actor, params.id),
);
