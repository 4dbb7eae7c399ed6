import { z } from 'zod';
import type { AlertChannelKind, AlertNotificationKind, AlertRuleKind } from '@/db/types';
import { emailSchema } from '@/lib/users/schemas';

export const ALERT_CHANNEL_KINDS = ['email', 'slack'] as const satisfies readonly AlertChannelKind[];
export const ALERT_RULE_KINDS = [
  'source_unhealthy',
  'run_failed',
  'no_worker',
  'queue_backlog',
  'webhook_disabled',
] as const satisfies readonly AlertRuleKind[];

export const MAX_EMAIL_RECIPIENTS = 20;
export const DEFAULT_QUIET_PERIOD_MINUTES = 60;

const nameSchema = z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters');

const emailToSchema = z
  .array(emailSchema)
  .min(1, 'add at least one address')
  .max(MAX_EMAIL_RECIPIENTS, `at most ${MAX_EMAIL_RECIPIENTS} addresses`)
  .transform((list) => [...new Set(list)]);

// The scheme and shape only; the host is judged by the destination guard (service), which also
// decides whether plain http to a loopback test receiver is allowed.
const slackWebhookUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an https URL such as https://hooks.slack.com/services/…' }))
  .refine((v) => !/^https?:\/\/[^/?#]*@/i.test(v), 'must not contain credentials');

export const createAlertChannelSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      name: nameSchema,
      kind: z.literal('email'),
      email_to: emailToSchema,
      enabled: z.boolean().optional(),
    }),
    z.strictObject({
      name: nameSchema,
      kind: z.literal('slack'),
      slack_webhook_url: slackWebhookUrlSchema,
      enabled: z.boolean().optional(),
    }),
  ],
  { error: 'kind must be "email" or "slack"' },
);
export type CreateAlertChannelInput = z.output<typeof createAlertChannelSchema>;

export const updateAlertChannelSchema = z
  .strictObject({
    name: nameSchema.optional(),
    enabled: z.boolean().optional(),
    email_to: emailToSchema.optional(),
    slack_webhook_url: slackWebhookUrlSchema.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'send at least one field to change');
export type UpdateAlertChannelInput = z.output<typeof updateAlertChannelSchema>;

const sourceIdsSchema = z
  .array(z.uuid('must be a source id'))
  .min(1, 'choose at least one source, or null for every source')
  .max(500)
  .transform((ids) => [...new Set(ids)])
  .nullable()
  .default(null);

/** Each kind's parameters, with their defaults: `{}` is a valid body for every kind. */
export const RULE_PARAMS_SCHEMAS = {
  source_unhealthy: z.strictObject({ source_ids: sourceIdsSchema }),
  run_failed: z.strictObject({
    failure_percent: z.number().int().min(1).max(100).default(10),
    source_ids: sourceIdsSchema,
  }),
  no_worker: z.strictObject({ seconds: z.number().int().min(30).max(3600).default(60) }),
  queue_backlog: z.strictObject({ minutes: z.number().int().min(1).max(1440).default(10) }),
  webhook_disabled: z.strictObject({}),
} as const satisfies Record<AlertRuleKind, z.ZodType>;

export type RuleParams = {
  [K in AlertRuleKind]: z.output<(typeof RULE_PARAMS_SCHEMAS)[K]>;
};

const channelIdsSchema = z
  .array(z.uuid('must be a channel id'))
  .max(50)
  .transform((ids) => [...new Set(ids)]);
const quietPeriodSchema = z.number().int().min(0).max(1440);

export const createAlertRuleSchema = z.strictObject({
  name: nameSchema,
  kind: z.enum(ALERT_RULE_KINDS),
  // Checked against the kind's schema by the service, so the error names params.<field>.
  params: z.record(z.string(), z.unknown()).default({}),
  channel_ids: channelIdsSchema,
  quiet_period_minutes: quietPeriodSchema.default(DEFAULT_QUIET_PERIOD_MINUTES),
  enabled: z.boolean().default(true),
});
export type CreateAlertRuleInput = z.output<typeof createAlertRuleSchema>;

export const updateAlertRuleSchema = z
  .strictObject({
    name: nameSchema.optional(),
    // Accepted only when it is the rule's own kind: a rule never changes kind.
    kind: z.enum(ALERT_RULE_KINDS).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    channel_ids: channelIdsSchema.optional(),
    quiet_period_minutes: quietPeriodSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'send at least one field to change');
export type UpdateAlertRuleInput = z.output<typeof updateAlertRuleSchema>;

export const listAlertIncidentsQuerySchema = z.strictObject({
  state: z.enum(['open', 'resolved']).optional(),
  rule_id: z.uuid('must be a rule id').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAlertIncidentsQuery = z.output<typeof listAlertIncidentsQuerySchema>;

export type AlertResult = { ok: boolean; at: string; error: { code: string; message: string } | null };

export type PublicAlertChannel = {
  id: string;
  name: string;
  kind: AlertChannelKind;
  enabled: boolean;
  email_to: string[] | null;
  slack_webhook_url: string | null;
  last_result: AlertResult | null;
  created_at: string;
  updated_at: string;
};

export type PublicAlertRule = {
  id: string;
  name: string;
  kind: AlertRuleKind;
  enabled: boolean;
  params: Record<string, unknown>;
  channel_ids: string[];
  quiet_period_minutes: number;
  state: 'ok' | 'firing';
  open_incidents: number;
  last_notified_at: string | null;
  created_at: string;
  updated_at: string;
};

export type PublicAlertNotification = {
  channel_id: string | null;
  channel_name: string;
  kind: Exclude<AlertNotificationKind, 'test'>;
  /** null while it is being sent. */
  ok: boolean | null;
  error: { code: string; message: string } | null;
  at: string;
};

export type PublicAlertIncident = {
  id: string;
  rule_id: string | null;
  rule_name: string;
  kind: AlertRuleKind;
  subject: string;
  opened_at: string;
  resolved_at: string | null;
  details: string;
  link: string | null;
  notifications: PublicAlertNotification[];
};

export type RuleTestResult = {
  channel_id: string;
  channel_name: string;
  ok: boolean;
  error: { code: string; message: string } | null;
};

export type AlertSettings = {
  email: { configured: boolean; from: string | null; host: string | null };
  evaluated_at: string | null;
  evaluate_seconds: number;
};
