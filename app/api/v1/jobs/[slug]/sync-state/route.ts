import { z } from 'zod';
import { route } from '@/lib/api/route';
import { getSyncState } from '@/lib/sync/get-sync-state';
import { syncStateQuerySchema } from '@/lib/sync/sync-state-schemas';
import { otherMethods } from '@/lib/api/method-not-allowed';

// The slug is checked by the service so a malformed one is 404 job_not_found, like an unknown one.
const params = z.object({ slug: z.string() });

export const GET = route(
  { access: 'user', scope: 'syncs:read', params, query: syncStateQuerySchema },
  async ({ db, actor, params, query }) => getSyncState(db, actor, params.slug, query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
