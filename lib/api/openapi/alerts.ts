import { z } from 'zod';
import {
  alertChannelAnswerSchema,
  alertChannelListSchema,
  alertChannelTestSchema,
  alertIncidentListSchema,
  alertRuleAnswerSchema,
  alertRuleListSchema,
  alertRuleTestSchema,
  alertSettingsSchema,
} from '@/lib/alerts/answer-schemas';
import {
  createAlertChannelSchema,
  createAlertRuleSchema,
  listAlertIncidentsQuerySchema,
  updateAlertChannelSchema,
  updateAlertRuleSchema,
} from '@/lib/alerts/schemas';
import type { OperationSpec, PathSpecs } from './operation';

const common = { access: 'admin', tags: ['Alerts'] } as const satisfies Partial<OperationSpec>;
const idParams = z.object({ id: z.uuid() });

export const alertsPaths: PathSpecs = {
  '/api/v1/alerts/channels': {
    get: {
      ...common,
      operationId: 'listAlertChannels',
      summary: 'List alert channels',
      answers: { 200: { description: 'Every channel, Slack URLs masked.', schema: alertChannelListSchema } },
    },
    post: {
      ...common,
      operationId: 'createAlertChannel',
      summary: 'Add an alert channel (email or Slack)',
      description:
        'An email channel needs SMTP_URL on the server (else 422 `email_not_configured`). A Slack incoming-webhook URL is stored encrypted and never shown again in full; an IP literal in a blocked range is refused.',
      body: createAlertChannelSchema,
      bodyExamples: {
        slack: {
          summary: 'A Slack channel',
          value: {
            name: 'Ops Slack',
            kind: 'slack',
            slack_webhook_url: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
          },
        },
        email: {
          summary: 'On-call by email',
          value: { name: 'On call', kind: 'email', email_to: ['oncall@example.com'] },
        },
      },
      answers: { 201: { description: 'Created.', schema: alertChannelAnswerSchema } },
      errors: ['validation_failed', 'email_not_configured', 'name_taken'],
    },
  },
  '/api/v1/alerts/channels/{id}': {
    get: {
      ...common,
      operationId: 'getAlertChannel',
      summary: 'Get an alert channel',
      params: idParams,
      answers: { 200: { description: 'The channel.', schema: alertChannelAnswerSchema } },
      errors: ['alert_channel_not_found'],
    },
    patch: {
      ...common,
      operationId: 'updateAlertChannel',
      summary: 'Edit, switch off or on an alert channel',
      description: 'Any of name, enabled, email_to (email channels), slack_webhook_url (Slack channels).',
      params: idParams,
      body: updateAlertChannelSchema,
      bodyExamples: { off: { summary: 'Switch it off', value: { enabled: false } } },
      answers: { 200: { description: 'The channel as it is now.', schema: alertChannelAnswerSchema } },
      errors: ['alert_channel_not_found', 'validation_failed', 'name_taken'],
    },
    delete: {
      ...common,
      operationId: 'deleteAlertChannel',
      summary: 'Delete an alert channel',
      description: 'Rules that used it lose it.',
      params: idParams,
      answers: { 204: { description: 'Deleted.' } },
      errors: ['alert_channel_not_found'],
    },
  },
  '/api/v1/alerts/channels/{id}/test': {
    post: {
      ...common,
      operationId: 'testAlertChannel',
      summary: 'Send a test message on a channel',
      description: 'A real message, sent now; the outcome is also recorded as the channel\u2019s last result.',
      params: idParams,
      answers: { 200: { description: 'What sending came to.', schema: alertChannelTestSchema } },
      errors: ['alert_channel_not_found'],
    },
  },
  '/api/v1/alerts/rules': {
    get: {
      ...common,
      operationId: 'listAlertRules',
      summary: 'List alert rules',
      answers: { 200: { description: 'Every rule with its state.', schema: alertRuleListSchema } },
    },
    post: {
      ...common,
      operationId: 'createAlertRule',
      summary: 'Add an alert rule',
      description:
        'Kinds and params: `source_unhealthy` {source_ids|null}, `run_failed` {failure_percent 1–100 (10), source_ids|null}, `no_worker` {seconds 30–3600 (60)}, `queue_backlog` {minutes 1–1440 (10)}, `webhook_disabled` {}.',
      body: createAlertRuleSchema,
      bodyExamples: {
        workers: {
          summary: 'No worker for a minute',
          value: { name: 'Workers down', kind: 'no_worker', params: { seconds: 60 }, channel_ids: [] },
        },
      },
      answers: { 201: { description: 'Created.', schema: alertRuleAnswerSchema } },
      errors: ['validation_failed', 'name_taken'],
    },
  },
  '/api/v1/alerts/rules/{id}': {
    get: {
      ...common,
      operationId: 'getAlertRule',
      summary: 'Get an alert rule',
      params: idParams,
      answers: { 200: { description: 'The rule.', schema: alertRuleAnswerSchema } },
      errors: ['alert_rule_not_found'],
    },
    patch: {
      ...common,
      operationId: 'updateAlertRule',
      summary: 'Edit, switch off or on an alert rule',
      description: 'Any field of POST but kind. Switching it off closes its open incidents without a message.',
      params: idParams,
      body: updateAlertRuleSchema,
      bodyExamples: { quiet: { summary: 'A longer quiet period', value: { quiet_period_minutes: 120 } } },
      answers: { 200: { description: 'The rule as it is now.', schema: alertRuleAnswerSchema } },
      errors: ['alert_rule_not_found', 'validation_failed', 'name_taken'],
    },
    delete: {
      ...common,
      operationId: 'deleteAlertRule',
      summary: 'Delete an alert rule',
      description: 'Its incidents stay in the history, closed without a message.',
      params: idParams,
      answers: { 204: { description: 'Deleted.' } },
      errors: ['alert_rule_not_found'],
    },
  },
  '/api/v1/alerts/rules/{id}/test': {
    post: {
      ...common,
      operationId: 'testAlertRule',
      summary: 'Send a test message to each of a rule\u2019s channels',
      params: idParams,
      answers: { 200: { description: 'One result per channel.', schema: alertRuleTestSchema } },
      errors: ['alert_rule_not_found', 'invalid_state'],
    },
  },
  '/api/v1/alerts/incidents': {
    get: {
      ...common,
      operationId: 'listAlertIncidents',
      summary: 'The incident history',
      description: 'Newest first, with the messages sent for each.',
      query: listAlertIncidentsQuerySchema,
      answers: { 200: { description: 'Incidents.', schema: alertIncidentListSchema } },
    },
  },
  '/api/v1/alerts/settings': {
    get: {
      ...common,
      operationId: 'getAlertSettings',
      summary: 'Whether email is set up and when alerts were last checked',
      answers: { 200: { description: 'Settings.', schema: alertSettingsSchema } },
    },
  },
};
