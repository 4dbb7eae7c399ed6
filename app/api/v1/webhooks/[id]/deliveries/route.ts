import { z } from 'zod';
import { route } from '@/lib/api/route';
import { listWebhookDeliveriesQuerySchema } from '@/lib/webhooks/schemas';
import { listWebhookDeliveries } from '@/lib/webhooks/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const GET = route(
  { access: 'admin', scope: 'webhooks:read', params, query: listWebhookDeliveriesQuerySchema },
  async ({ db, actor, params, query }) => listWebhookDeliveries(db, actor, params.id, query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
