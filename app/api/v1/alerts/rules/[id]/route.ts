import { z } from 'zod';
import { route } from '@/lib/api/route';
import { updateAlertRuleSchema } from '@/lib/alerts/schemas';
import { deleteAlertRule, getAlertRuleOrThrow, updateAlertRule } from '@/lib/alerts/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const GET = route({ access: 'admin', scope: 'alerts:read', params }, async ({ db, actor, params }) => ({
  rule: await getAlertRuleOrThrow(db, actor, params.id),
}));

export const PATCH = route(
  { access: 'admin', scope: 'alerts:write', params, body: updateAlertRuleSchema },
  async ({ db, actor, params, body }) => ({ rule: await updateAlertRule(db, actor, params.id, body) }),
);

export const DELETE = route({ access: 'admin', scope: 'alerts:write', params }, async ({ db, actor, params }) => {
  await deleteAlertRule(db, actor, params.id);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = otherMethods('GET', 'PATCH', 'DELETE');
