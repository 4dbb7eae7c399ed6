import { route } from '@/lib/api/route';
import { cancelRun } from '@/lib/sync/service';
import { parseTaskId, taskParamsSchema } from '@/lib/sync/task-id';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const POST = route(
  { access: 'user', scope: 'syncs:write', params: taskParamsSchema },
  async ({ db, actor, params }) => cancelRun(db, actor, parseTaskId(params.taskId)),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
