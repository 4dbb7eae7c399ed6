import { json, route } from '@/lib/api/route';
import { createUserSchema } from '@/lib/users/schemas';
import { createUser, listUsers } from '@/lib/users/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'admin', scope: 'users:read' }, async ({ db, actor }) => ({
  data: await listUsers(db, actor),
}));

export const POST = route(
  { access: 'admin', scope: 'users:write', body: createUserSchema },
  async ({ db, actor, body }) => json(await createUser(db, actor, body), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
