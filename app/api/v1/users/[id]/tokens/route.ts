import { z } from 'zod';
import { route } from '@/lib/api/route';
import { listUserApiTokens } from '@/lib/tokens/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const GET = route({ access: 'admin', scope: 'users:read', params }, async ({ db, actor, params }) => ({
  data: await listUserApiTokens(db, actor, params.id),
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
