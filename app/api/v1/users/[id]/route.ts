import { z } from 'zod';
import { route } from '@/lib/api/route';
import { updateUserSchema } from '@/lib/users/schemas';
import { updateUser } from '@/lib/users/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const PATCH = route(
  { access: 'admin', scope: 'users:write', params, body: updateUserSchema },
  async ({ db, actor, params, body }) => updateUser(db, actor, params.id, body),
);

export const { GET, POST, PUT, DELETE, OPTIONS } = otherMethods('PATCH');
