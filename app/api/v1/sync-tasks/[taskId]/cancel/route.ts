import { route } from '@/lib/api/route';
import { cancelRun } from '@/lib/sync/service';
import { parseTaskId, taskParamsSchema } from '@/lib/sync/task-id';

export const POST = route({ access: 'user', params: taskParamsSchema }, async ({ db, actor, params }) =>
  cancelRun(db, actor, parseTaskId(params.taskId)),
);
