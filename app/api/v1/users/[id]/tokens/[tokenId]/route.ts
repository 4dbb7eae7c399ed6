import { z } from 'zod';
import { route } from '@/lib/api/route';
import { revokeUserApiToken } from '@/lib/tokens/service';

const params = z.object({ id: z.uuid(), tokenId: z.uuid() });

export const DELETE = route({ access: 'admin', params }, async ({ db, actor, params }) =>
  revokeUserApiToken(db, actor, params.id, params.tokenId),
);
