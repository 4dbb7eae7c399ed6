import { z } from 'zod';
import { route } from '@/lib/api/route';
import { testSource } from '@/lib/sources/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const POST = route({ access: 'admin', params }, async ({ db, actor, params }) =>
  testSource(db, actor, params.id),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
