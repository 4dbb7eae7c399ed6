import { json, route } from '@/lib/api/route';
import { createWebhookSchema } from '@/lib/webhooks/schemas';
import { createWebhook, listWebhooks } from '@/lib/webhooks/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'admin', scope: 'webhooks:read' }, async ({ db, actor }) => ({
  data: await listWebhooks(db, actor),
}));

export const POST = route(
  { access: 'admin', scope: 'webhooks:write', body: createWebhookSchema },
  async ({ db, actor, body }) => json(await createWebhook(db, actor, body), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
