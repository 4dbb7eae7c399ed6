import { json, route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { retryFailed } from '@/lib/sync/service';
import { parseTaskId, taskParamsSchema } from '@/lib/sync/task-id';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const POST = route(
  { access: 'user', scope: 'syncs:write', params: taskParamsSchema },
  async ({ db, actor, params }) =>
    json(await retryFailed(db, await getSender(), actor, parseTaskId(params.taskId)), 202),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
