import { z } from 'zod';
import { route } from '@/lib/api/route';
import { updateCandidateSchema } from '@/lib/recruiting/schemas';
import { deleteCandidate, getCandidate, updateCandidate } from '@/lib/recruiting/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

// The id is checked by the service so a malformed one is 404 candidate_not_found, like an unknown one.
const params = z.object({ id: z.string() });

export const GET = route({ access: 'user', scope: 'candidates:read', params }, async ({ db, actor, params }) =>
  getCandidate(db, actor, params.id),
);

export const PATCH = route(
  { access: 'user', scope: 'candidates:write', params, body: updateCandidateSchema },
  async ({ db, actor, params, body }) => updateCandidate(db, actor, params.id, body),
);

export const DELETE = route({ access: 'user', scope: 'candidates:write', params }, async ({ db, actor, params }) => {
  await deleteCandidate(db, actor, params.id);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = otherMethods('GET', 'PATCH', 'DELETE');
