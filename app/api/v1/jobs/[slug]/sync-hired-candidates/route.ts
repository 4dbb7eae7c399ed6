import { z } from 'zod';
import { json, route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { startSyncSchema } from '@/lib/sync/schemas';
import { startSync } from '@/lib/sync/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ slug: z.string().max(200) });

// Also answers the seed's URL, /recruitment/jobs/{slug}/sync-hired-candidates/ (a re-export there).
export const POST = route(
  { access: 'user', scope: 'syncs:write', params, body: startSyncSchema, bodyOptional: true },
  async ({ db, actor, params, body }) =>
    json(await startSync(db, await getSender(), actor, { slug: params.slug, ...body }), 202),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
