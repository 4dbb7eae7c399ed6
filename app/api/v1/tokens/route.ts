import { json, route } from '@/lib/api/route';
import { createTokenSchema } from '@/lib/tokens/schemas';
import { createApiToken, listApiTokens } from '@/lib/tokens/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'user', scope: 'tokens:read' }, async ({ db, actor }) => ({
  data: await listApiTokens(db, actor),
}));

export const POST = route(
  { access: 'user', scope: 'session', body: createTokenSchema, viewerMay: 'own-account' },
  async ({ db, actor, body }) => json(await createApiToken(db, actor, body), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
