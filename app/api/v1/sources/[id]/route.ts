import { z } from 'zod';
import { route } from '@/lib/api/route';
import { updateSourceSchema } from '@/lib/sources/schemas';
import { deleteSource, getSourceOrThrow, updateSource } from '@/lib/sources/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const GET = route({ access: 'admin', scope: 'sources:read', params }, async ({ db, actor, params }) =>
  getSourceOrThrow(db, actor, params.id),
);

export const PATCH = route(
  { access: 'admin', scope: 'sources:write', params, body: updateSourceSchema },
  async ({ db, actor, params, body }) => updateSource(db, actor, params.id, body),
);

export const DELETE = route({ access: 'admin', scope: 'sources:write', params }, async ({ db, actor, params }) =>
  deleteSource(db, actor, params.id),
);

export const { POST, PUT, OPTIONS } = otherMethods('GET', 'PATCH', 'DELETE');
