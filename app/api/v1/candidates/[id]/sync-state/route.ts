import { z } from 'zod';
import { otherMethods } from '@/lib/api/method-not-allowed';
import { route } from '@/lib/api/route';
import { getCandidateSyncRecords } from '@/lib/sync/get-sync-state';

// The id is checked by the service so a malformed one is 404 candidate_not_found, like an unknown one.
const params = z.object({ id: z.string() });

export const GET = route({ access: 'user', scope: 'syncs:read', params }, async ({ db, actor, params }) =>
  getCandidateSyncRecords(db, actor, params.id),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
