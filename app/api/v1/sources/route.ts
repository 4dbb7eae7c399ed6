import { json, route } from '@/lib/api/route';
import { createSourceSchema } from '@/lib/sources/schemas';
import { createSource, listSources } from '@/lib/sources/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'admin' }, async ({ db, actor }) => ({ data: await listSources(db, actor) }));

export const POST = route({ access: 'admin', body: createSourceSchema }, async ({ db, actor, body }) =>
  json(await createSource(db, actor, body), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
