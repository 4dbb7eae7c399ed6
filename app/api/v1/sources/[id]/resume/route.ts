import { z } from 'zod';
import { route } from '@/lib/api/route';
import { getSender } from '@/lib/queue/sender';
import { resumeSource } from '@/lib/sources/pause';

const params = z.object({ id: z.uuid() });

export const POST = route({ access: 'admin', params }, async ({ db, actor, params }) =>
  resumeSource(db, await getSender(), actor, params.id),
);
