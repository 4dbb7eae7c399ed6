import { json, route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { taskParamsSchema } from '@/lib/sync-admin/schemas';
import { retryTask } from '@/lib/sync-admin/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const POST = route(
  { access: 'admin', scope: 'syncs:write', params: taskParamsSchema },
  async ({ db, actor, params }) => json(await retryTask(db, await getSender(), actor, params.id), 202),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
