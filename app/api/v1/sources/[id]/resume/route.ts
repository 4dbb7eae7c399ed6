import { z } from 'zod';
import { otherMethods } from '@/lib/api/method-not-allowed';
import { route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { resumeSource } from '@/lib/sources/pause';

const params = z.object({ id: z.uuid() });

export const POST = route({ access: 'admin', scope: 'sources:write', params }, async ({ db, actor, params }) =>
  resumeSource(db, await getSender(), actor, params.id),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
