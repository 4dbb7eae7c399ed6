import { z } from 'zod';
import { route } from '@/lib/api/route';
import { rotateWebhookSecretSchema } from '@/lib/webhooks/schemas';
import { rotateWebhookSecret } from '@/lib/webhooks/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const POST = route(
  { access: 'admin', scope: 'webhooks:write', params, body: rotateWebhookSecretSchema, bodyOptional: true },
  async ({ db, actor, params, body }) => rotateWebhookSecret(db, actor, params.id, body),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
