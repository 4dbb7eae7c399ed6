import { route } from '@/lib/api/route';
import { taskParamsSchema } from '@/lib/sync-admin/schemas';
import { getTask } from '@/lib/sync-admin/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'admin', scope: 'syncs:read', params: taskParamsSchema }, ({ db, actor, params }) =>
  getTask(db, actor, params.id),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
