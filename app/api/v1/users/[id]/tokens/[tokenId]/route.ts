import { z } from 'zod';
import { route } from '@/lib/api/route';
import { revokeUserApiToken } from '@/lib/tokens/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid(), tokenId: z.uuid() });

export const DELETE = route({ access: 'admin', scope: 'users:write', params }, async ({ db, actor, params }) =>
  revokeUserApiToken(db, actor, params.id, params.tokenId),
);

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods('DELETE');
