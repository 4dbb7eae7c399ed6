import { z } from 'zod';
import { json, route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { redeliverWebhookDelivery } from '@/lib/webhooks/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid(), deliveryId: z.uuid() });

export const POST = route({ access: 'admin', scope: 'webhooks:write', params }, async ({ db, actor, params }) =>
  json(await redeliverWebhookDelivery(db, await getSender(), actor, params.id, params.deliveryId), 202),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
