import { json, route } from '@/lib/api/route';
import { createAlertRuleSchema } from '@/lib/alerts/schemas';
import { createAlertRule, listAlertRules } from '@/lib/alerts/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'admin', scope: 'alerts:read' }, async ({ db, actor }) => ({
  rules: await listAlertRules(db, actor),
}));

export const POST = route(
  { access: 'admin', scope: 'alerts:write', body: createAlertRuleSchema },
  async ({ db, actor, body }) => json({ rule: await createAlertRule(db, actor, body) }, 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
