import { z } from 'zod';
import { json, route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { recoverWebhookSchema } from '@/lib/webhooks/schemas';
import { recoverWebhookDeliveries } from '@/lib/webhooks/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const POST = route(
  { access: 'admin', scope: 'webhooks:write', params, body: recoverWebhookSchema },
  async ({ db, actor, params, body }) =>
    json(await recoverWebhookDeliveries(db, await getSender(), actor, params.id, body), 202),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
