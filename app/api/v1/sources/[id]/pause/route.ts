import { z } from 'zod';
import { otherMethods } from '@/lib/api/method-not-allowed';
import { route } from '@/lib/api/route';
import { pauseSourceByAdmin, pauseSourceSchema } from '@/lib/sources/pause';

const params = z.object({ id: z.uuid() });

export const POST = route(
  { access: 'admin', scope: 'sources:write', params, body: pauseSourceSchema, bodyOptional: true },
  async ({ db, actor, params, body }) => pauseSourceByAdmin(db, actor, params.id, body ?? {}),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
