import { json, route } from '@/lib/api/route';
import { createSourceSchema } from '@/lib/sources/schemas';
import { createSource, listSources } from '@/lib/sources/service';

export const GET = route({ access: 'admin' }, async ({ db, actor }) => ({ data: await listSources(db, actor) }));

export const POST = route({ access: 'admin', body: createSourceSchema }, async ({ db, actor, body }) =>
  json(await createSource(db, actor, body), 201),
);
