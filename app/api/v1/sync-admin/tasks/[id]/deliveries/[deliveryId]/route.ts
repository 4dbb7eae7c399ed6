import { route } from '@/lib/api/route';
import { deliveryParamsSchema } from '@/lib/sync-admin/schemas';
import { getTaskDelivery } from '@/lib/sync-admin/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route(
  { access: 'admin', scope: 'syncs:read', params: deliveryParamsSchema },
  ({ db, actor, params }) => getTaskDelivery(db, actor, params.id, params.deliveryId),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
