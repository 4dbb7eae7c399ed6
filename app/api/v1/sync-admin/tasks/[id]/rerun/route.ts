import { json, route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { taskParamsSchema } from '@/lib/sync-admin/schemas';
import { rerunTask } from '@/lib/sync-admin/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const POST = route(
  { access: 'admin', scope: 'syncs:write', params: taskParamsSchema },
  async ({ db, actor, params }) => {
    const result = await rerunTask(db, await getSender(), actor, params.id);
    return json(result, result.deduplicated ? 200 : 202);
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
