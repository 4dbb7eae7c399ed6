import { route } from '@/lib/api/route';
import { exportDeliveriesQuerySchema, exportTaskDeliveries } from '@/lib/export/deliveries';
import { taskParamsSchema } from '@/lib/sync-admin/schemas';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route(
  { access: 'admin', scope: 'syncs:read', params: taskParamsSchema, query: exportDeliveriesQuerySchema },
  ({ db, actor, params, query, log }) => exportTaskDeliveries(db, actor, params.id, query, log),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
