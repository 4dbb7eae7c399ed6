import { route } from '@/lib/api/route';

export const GET = route({ access: 'user' }, async ({ actor }) =>
  actor.kind === 'user'
    ? { id: actor.id, email: actor.email, name: actor.name, role: actor.role, via: actor.via }
    : null,
);
