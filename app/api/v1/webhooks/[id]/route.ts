import { z } from 'zod';
import { route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { updateWebhookSchema } from '@/lib/webhooks/schemas';
import { deleteWebhook, getWebhookOrThrow, updateWebhook } from '@/lib/webhooks/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const GET = route({ access: 'admin', scope: 'webhooks:read', params }, async ({ db, actor, params }) =>
  getWebhookOrThrow(db, actor, params.id),
);

export const PATCH = route(
  { access: 'admin', scope: 'webhooks:write', params, body: updateWebhookSchema },
  async ({ db, actor, params, body }) => updateWebhook(db, await getSender(), actor, params.id, body),
);

export const DELETE = route({ access: 'admin', scope: 'webhooks:write', params }, async ({ db, actor, params }) =>
  deleteWebhook(db, actor, params.id),
);

export const { POST, PUT, OPTIONS } = otherMethods('GET', 'PATCH', 'DELETE');
