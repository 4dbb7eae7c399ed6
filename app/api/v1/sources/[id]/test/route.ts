import { z } from 'zod';
import { route } from '@/lib/api/route';
import { otherMethods } from '@/lib/api/method-not-allowed';
import { getSender } from '@/lib/queue/sender';
import { testSourceAndResume } from '@/lib/sources/pause';

const params = z.object({ id: z.uuid() });

export const POST = route({ access: 'admin', scope: 'sources:write', params }, async ({ db, actor, params }) =>
  testSourceAndResume(db, getSender, actor, params.id),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
