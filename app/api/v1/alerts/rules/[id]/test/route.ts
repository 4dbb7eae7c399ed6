import { z } from 'zod';
import { route } from '@/lib/api/route';
import { testAlertRule } from '@/lib/alerts/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const POST = route({ access: 'admin', scope: 'alerts:write', params }, async ({ db, actor, params }) =>
  testAlertRule(db, actor, params.id),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
