import { z } from 'zod';
import { route } from '@/lib/api/route';
import { testSource } from '@/lib/sources/service';

const params = z.object({ id: z.uuid() });

export const POST = route({ access: 'admin', params }, async ({ db, actor, params }) =>
  testSource(db, actor, params.id),
);
