import { route } from '@/lib/api/route';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'user' }, async ({ actor }) =>
  actor.kind === 'user'
    ? { id: actor.id, email: actor.email, name: actor.name, role: actor.role, via: actor.via }
    : null,
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
