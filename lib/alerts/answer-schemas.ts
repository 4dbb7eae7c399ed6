import { z } from 'zod';
import { type Same, shapes } from '@/lib/api/openapi/same-shape';
import {
  ALERT_CHANNEL_KINDS,
  ALERT_RULE_KINDS,
  type AlertSettings,
  type PublicAlertChannel,
  type PublicAlertIncident,
  type PublicAlertRule,
  type RuleTestResult,
} from './schemas';

// The answers of the alerts API as zod schemas, for the OpenAPI document (lib/api/openapi/alerts.ts).
const errorSchema = z.object({ code: z.string(), message: z.string() }).nullable().meta({
  description:
    'Why it failed: `destination_blocked`, `timeout`, `connection_failed`, `auth_failed`, `rejected`, `email_not_configured`, `rate_limited`, Slack\u2019s own code (`no_service`, `invalid_token`, `channel_is_archived`, …) or `http_<status>`.',
});

const resultSchema = z.object({ ok: z.boolean(), at: z.string(), error: errorSchema }).meta({ id: 'AlertResult' });

export const alertChannelSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    name: z.string(),
    kind: z.enum(ALERT_CHANNEL_KINDS),
    enabled: z.boolean(),
    email_to: z.array(z.string()).nullable(),
    slack_webhook_url: z
      .string()
      .nullable()
      .meta({ description: 'Masked (https://hooks.slack.com/services/T0…/B0…/••••): the URL is a credential.' }),
    last_result: resultSchema.nullable().meta({ description: 'The last message sent on it (alert or test).' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'AlertChannel' });
shapes<Same<z.output<typeof alertChannelSchema>, PublicAlertChannel>>();

export const alertChannelAnswerSchema = z.object({ channel: alertChannelSchema }).meta({ id: 'AlertChannelAnswer' });
export const alertChannelListSchema = z
  .object({ channels: z.array(alertChannelSchema) })
  .meta({ id: 'AlertChannelList' });
export const alertChannelTestSchema = z.object({ result: resultSchema }).meta({ id: 'AlertChannelTested' });

export const alertRuleSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    name: z.string(),
    kind: z.enum(ALERT_RULE_KINDS),
    enabled: z.boolean(),
    params: z.record(z.string(), z.unknown()).meta({ description: 'The kind\u2019s parameters, defaults filled in.' }),
    channel_ids: z.array(z.string()),
    quiet_period_minutes: z.number().int(),
    state: z.enum(['ok', 'firing']),
    open_incidents: z.number().int(),
    last_notified_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'AlertRule' });
shapes<Same<z.output<typeof alertRuleSchema>, PublicAlertRule>>();

export const alertRuleAnswerSchema = z.object({ rule: alertRuleSchema }).meta({ id: 'AlertRuleAnswer' });
export const alertRuleListSchema = z.object({ rules: z.array(alertRuleSchema) }).meta({ id: 'AlertRuleList' });

const ruleTestResultSchema = z.object({
  channel_id: z.string(),
  channel_name: z.string(),
  ok: z.boolean(),
  error: errorSchema,
});
shapes<Same<z.output<typeof ruleTestResultSchema>, RuleTestResult>>();
export const alertRuleTestSchema = z.object({ results: z.array(ruleTestResultSchema) }).meta({ id: 'AlertRuleTested' });

export const alertIncidentSchema = z
  .object({
    id: z.string(),
    rule_id: z.string().nullable().meta({ description: 'null once the rule was deleted.' }),
    rule_name: z.string(),
    kind: z.enum(ALERT_RULE_KINDS),
    subject: z.string(),
    opened_at: z.string(),
    resolved_at: z.string().nullable(),
    details: z.string(),
    link: z.string().nullable(),
    notifications: z.array(
      z.object({
        channel_id: z.string().nullable(),
        channel_name: z.string(),
        kind: z.enum(['firing', 'recovery']),
        ok: z.boolean().nullable().meta({ description: 'null while it is being sent.' }),
        error: errorSchema,
        at: z.string(),
      }),
    ),
  })
  .meta({ id: 'AlertIncident' });
shapes<Same<z.output<typeof alertIncidentSchema>, PublicAlertIncident>>();

export const alertIncidentListSchema = z
  .object({ incidents: z.array(alertIncidentSchema) })
  .meta({ id: 'AlertIncidentList' });

export const alertSettingsSchema = z
  .object({
    email: z.object({ configured: z.boolean(), from: z.string().nullable(), host: z.string().nullable() }),
    evaluated_at: z.string().nullable().meta({ description: 'When the alerts were last checked, by any process.' }),
    evaluate_seconds: z.number().int(),
  })
  .meta({ id: 'AlertSettings' });
shapes<Same<z.output<typeof alertSettingsSchema>, AlertSettings>>();
