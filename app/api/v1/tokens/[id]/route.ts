import { z } from 'zod';
import { route } from '@/lib/api/route';
import { revokeApiToken } from '@/lib/tokens/service';

const params = z.object({ id: z.uuid() });

export const DELETE = route({ access: 'user', params }, async ({ db, actor, params }) =>
  revokeApiToken(db, actor, params.id),
);
