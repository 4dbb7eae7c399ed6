import { json, route } from '@/lib/api/route';
import { createTokenSchema } from '@/lib/tokens/schemas';
import { createApiToken, listApiTokens } from '@/lib/tokens/service';

export const GET = route({ access: 'user' }, async ({ db, actor }) => ({ data: await listApiTokens(db, actor) }));

export const POST = route({ access: 'user', body: createTokenSchema }, async ({ db, actor, body }) =>
  json(await createApiToken(db, actor, body), 201),
);
