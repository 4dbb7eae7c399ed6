import { route } from '@/lib/api/route';
import { taskParamsSchema } from '@/lib/sync-admin/schemas';
import { cancelTask } from '@/lib/sync-admin/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const POST = route(
  { access: 'admin', scope: 'syncs:write', params: taskParamsSchema },
  ({ db, actor, params }) => cancelTask(db, actor, params.id),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
