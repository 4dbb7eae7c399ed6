import { route } from '@/lib/api/route';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'user', scope: 'any' }, async ({ actor }) =>
  actor.kind === 'user'
    ? {
        id: actor.id,
        email: actor.email,
        name: actor.name,
        role: actor.role,
        via: actor.via,
        // A script can check what its token may do and until when (GitHub answers X-OAuth-Scopes and the
        // token's expiry for the same reason).
        ...(actor.via === 'token' ? { scopes: actor.scopes, expires_at: actor.tokenExpiresAt } : {}),
      }
    : null,
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
