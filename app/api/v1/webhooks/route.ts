import { json, route } from '@/lib/api/route';
import { createWebhookSchema } from '@/lib/webhooks/schemas';
import { createWebhook, listWebhooks } from '@/lib/webhooks/service';

export const GET = route({ access: 'admin' }, async ({ db, actor }) => ({ data: await listWebhooks(db, actor) }));

export const POST = route({ access: 'admin', body: createWebhookSchema }, async ({ db, actor, body }) =>
  json(await createWebhook(db, actor, body), 201),
);
