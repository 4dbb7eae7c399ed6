import { json, route } from '@/lib/api/route';
import { createSourceSchema } from '@/lib/sources/schemas';
import { createSource, listSources } from '@/lib/sources/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'admin', scope: 'sources:read' }, async ({ db, actor }) => ({
  data: await listSources(db, actor),
}));

export const POST = route(
  { access: 'admin', scope: 'sources:write', body: createSourceSchema },
  async ({ db, actor, body }) => json(await createSource(db, actor, body), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
