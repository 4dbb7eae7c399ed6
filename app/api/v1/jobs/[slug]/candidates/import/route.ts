import { z } from 'zod';
import { json, route } from '@/lib/api/route';
import { importCandidatesSchema } from '@/lib/recruiting/schemas';
import { importCandidates } from '@/lib/recruiting/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ slug: z.string() });

export const POST = route(
  { access: 'user', scope: 'candidates:write', params, body: importCandidatesSchema },
  async ({ db, actor, params, body }) => json(await importCandidates(db, actor, params.slug, body), 201),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
