import { z } from 'zod';
import { route } from '@/lib/api/route';
import { deleteWebhook, getWebhookOrThrow } from '@/lib/webhooks/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const GET = route({ access: 'admin', scope: 'webhooks:read', params }, async ({ db, actor, params }) =>
  getWebhookOrThrow(db, actor, params.id),
);

export const DELETE = route({ access: 'admin', scope: 'webhooks:write', params }, async ({ db, actor, params }) =>
  deleteWebhook(db, actor, params.id),
);

export const { POST, PUT, PATCH, OPTIONS } = otherMethods('GET', 'DELETE');
