import { z } from 'zod';
import { route } from '@/lib/api/route';
import { revokeApiToken } from '@/lib/tokens/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const DELETE = route(
  { access: 'user', scope: 'any', params, viewerMay: 'own-account' },
  async ({ db, actor, params }) => revokeApiToken(db, actor, params.id),
);

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods('DELETE');
