'use client';

import { useState } from 'react';
import { Badge } from '@/app/components/badge';
import { DateTime } from '@/app/components/date-time';
import { Dialog, FormActions, FormAlert } from '@/app/components/dialog-client';
import { FieldError, TextField } from '@/app/components/field';
import { LoadError } from '@/app/components/notice';
import { CreateWithSecretDialog, RevealSecret } from '@/app/components/reveal-secret-client';
import { RowAction } from '@/app/components/row-action';
import { TableHead } from '@/app/components/table-head';
import type { WebhookEventType } from '@/db/types';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import { useWebhookDeliveries, useWebhooks } from '@/lib/swr/use-webhooks';
import {
  type CreatedWebhookEndpoint,
  type CreateWebhookInput,
  createWebhookSchema,
  type PublicWebhookEndpoint,
  WEBHOOK_EVENT_TYPES,
} from '@/lib/webhooks/schemas';
import { ActionFeedback, useActionFeedback } from '../../recruitment/action-feedback';
import { DELIVERY_STATUS, EVENTS } from './labels';
import { PageHeader } from '@/app/components/page-header';
import { EmptyState } from '@/app/components/empty-state';

export function WebhooksClient({ initialEndpoints }: { initialEndpoints: PublicWebhookEndpoint[] }) {
  const { endpoints, error, reload, createWebhook, deleteWebhook, sendTestEvent } = useWebhooks(initialEndpoints);
  const feedback = useActionFeedback();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<PublicWebhookEndpoint | null>(null);
  const [selected, setSelected] = useState<string | null>(initialEndpoints[0]?.id ?? null);
  const log = useWebhookDeliveries(endpoints.some((e) => e.id === selected) ? selected : null);

  function sendTest(endpoint: PublicWebhookEndpoint) {
    setSelected(endpoint.id);
    void feedback.attempt(async () => {
      await sendTestEvent(endpoint.id);
      await log.reload();
      return `A test event is on its way to ${endpoint.name}; its delivery shows in the log below.`;
    });
  }

  async function onDelete(endpoint: PublicWebhookEndpoint) {
    await deleteWebhook(endpoint.id);
    setDeleting(null);
    feedback.setNotice(`${endpoint.name} was deleted with its delivery log.`);
  }

  const failing = endpoints.filter((e) => e.failing).length;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Webhooks"
        description={
          <>
            Other systems told when a sync finishes or a source turns unhealthy · {endpoints.length} endpoint
            {endpoints.length === 1 ? '' : 's'}
            {failing > 0 && <span className="font-medium text-red-700"> · {failing} failing</span>}
          </>
        }
      >
        <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
          Add endpoint
        </button>
      </PageHeader>

      <ActionFeedback notice={feedback.notice} error={feedback.error} />
      {error && <LoadError what="webhook endpoints" error={error} onRetry={reload} />}

      <div className="card overflow-x-auto">
        {endpoints.length === 0 ? (
          <EmptyState
            title="No webhook endpoints yet"
            description="Add a URL to receive a signed JSON event when a sync completes or fails, or when a source stops accepting deliveries."
          >
            <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
              Add an endpoint
            </button>
          </EmptyState>
        ) : (
          <table className="table">
            <caption className="sr-only">Webhook endpoints with their events and state</caption>
            <TableHead columns={['Endpoint', 'Events', 'State', 'Last delivered']} />
            <tbody className="divide-y divide-slate-100">
              {endpoints.map((endpoint) => (
                <tr key={endpoint.id} className={endpoint.id === selected ? 'bg-brand-50/40' : undefined}>
                  <td className="min-w-64 max-w-sm">
                    <div className="font-medium text-slate-900">{endpoint.name}</div>
                    <div className="mt-0.5 truncate font-mono text-xs text-slate-500" title={endpoint.url}>
                      {endpoint.url}
                    </div>
                    <div className="mt-0.5 text-xs text-slate-500">Secret {endpoint.secret_mask}</div>
                  </td>
                  <td className="max-w-xs">
                    <div className="flex flex-wrap gap-1">
                      {endpoint.events.map((event) => (
                        <Badge key={event} tone="gray">
                          {EVENTS[event].label}
                        </Badge>
                      ))}
                    </div>
                  </td>
                  <td className="min-w-48 max-w-xs">
                    <EndpointState endpoint={endpoint} />
                  </td>
                  <td className="whitespace-nowrap">
                    <DateTime value={endpoint.last_success_at} empty="Never" />
                  </td>
                  <td>
                    <div className="flex justify-end gap-1 whitespace-nowrap">
                      <RowAction label="Send test event" subject={endpoint.name} onClick={() => sendTest(endpoint)} />
                      <RowAction label="Deliveries" subject={endpoint.name} onClick={() => setSelected(endpoint.id)} />
                      <RowAction label="Delete" subject={endpoint.name} danger onClick={() => setDeleting(endpoint)} />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      {selected && log.endpoint && <DeliveryLog name={log.endpoint.name} log={log} />}

      <CreateWebhookDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreate={async (input) => {
          const created = await createWebhook(input);
          setSelected(created.id);
          return created;
        }}
      />
      <DeleteWebhookDialog endpoint={deleting} onClose={() => setDeleting(null)} onDelete={onDelete} />
    </div>
  );
}

function EndpointState({ endpoint }: { endpoint: PublicWebhookEndpoint }) {
  if (endpoint.failing) {
    return (
      <div className="space-y-1">
        <Badge tone="red">Failing</Badge>
        <p className="text-xs text-red-700">
          The last {endpoint.consecutive_failures} deliveries failed after every retry.
        </p>
        {endpoint.last_error && (
          <p className="line-clamp-2 break-words text-xs text-red-700" title={endpoint.last_error}>
            {endpoint.last_error}
          </p>
        )}
      </div>
    );
  }
  if (!endpoint.last_success_at && !endpoint.last_failure_at) return <Badge tone="gray">Nothing finished yet</Badge>;
  return (
    <div className="space-y-1">
      <Badge tone={endpoint.consecutive_failures > 0 ? 'amber' : 'green'}>
        {endpoint.consecutive_failures > 0 ? `${endpoint.consecutive_failures} recent failures` : 'Delivering'}
      </Badge>
    </div>
  );
}

function DeliveryLog({ name, log }: { name: string; log: ReturnType<typeof useWebhookDeliveries> }) {
  return (
    <section aria-labelledby="delivery-log" className="space-y-3">
      <div className="flex items-end justify-between gap-4">
        <div>
          <h2 id="delivery-log" className="text-lg font-semibold tracking-tight">
            Deliveries to {name}
          </h2>
          <p className="text-sm text-slate-600">The latest 50; failed attempts are retried with growing pauses.</p>
        </div>
        <button type="button" className="btn-secondary" onClick={() => void log.reload()}>
          Refresh
        </button>
      </div>
      {log.error && <LoadError what="deliveries" error={log.error} onRetry={log.reload} />}
      <div className="card overflow-x-auto">
        {log.deliveries.length === 0 ? (
          <p className="px-6 py-10 text-center text-sm text-slate-600">
            Nothing sent yet. Use “Send test event” to check the endpoint.
          </p>
        ) : (
          <table className="table">
            <caption className="sr-only">Deliveries to {name}, newest first</caption>
            <TableHead columns={['Event', 'Status', 'Attempts', 'Answer', 'Queued', 'Last attempt']} actions={false} />
            <tbody className="divide-y divide-slate-100">
              {log.deliveries.map((d) => {
                const status = DELIVERY_STATUS[d.status];
                return (
                  <tr key={d.id}>
                    <td>
                      <div className="font-medium text-slate-900">
                        {EVENTS[d.event_type as WebhookEventType]?.label ?? 'Test event'}
                      </div>
                      <div className="font-mono text-xs text-slate-500">{d.event_id}</div>
                    </td>
                    <td>
                      <Badge tone={status.tone}>{status.label}</Badge>
                    </td>
                    <td className="tabular-nums">{d.attempts}</td>
                    <td className="max-w-sm">
                      {d.http_status && <span className="tabular-nums">HTTP {d.http_status}</span>}
                      {d.duration_ms !== null && <span className="text-xs text-slate-500"> · {d.duration_ms} ms</span>}
                      {d.last_error && (
                        <p className="line-clamp-2 break-words text-xs text-red-700" title={d.last_error}>
                          {withoutStatus(d.last_error, d.http_status)}
                        </p>
                      )}
                    </td>
                    <td className="whitespace-nowrap">
                      <DateTime value={d.created_at} />
                    </td>
                    <td className="whitespace-nowrap">
                      <DateTime value={d.last_attempt_at} empty="Not yet" />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

/** The error repeats the status shown beside it ("HTTP 500: {…}"): keep what the receiver said. */
function withoutStatus(error: string, status: number | null): string {
  const prefix = `HTTP ${status}: `;
  return status !== null && error.startsWith(prefix) ? error.slice(prefix.length) : error;
}

const FIELDS = ['name', 'url', 'events'] as const;

function CreateWebhookDialog({
  open,
  onClose,
  onCreate,
}: {
  open: boolean;
  onClose: () => void;
  onCreate: (input: CreateWebhookInput) => Promise<CreatedWebhookEndpoint>;
}) {
  return (
    <CreateWithSecretDialog<CreatedWebhookEndpoint>
      open={open}
      onClose={onClose}
      title="Add webhook endpoint"
      revealTitle="Copy the signing secret"
      description="We POST each event as signed JSON; anything but a 2xx answer is retried."
      form={(onCreated, close) => (
        <CreateWebhookForm onCancel={close} onCreate={async (input) => onCreated(await onCreate(input))} />
      )}
      reveal={(created, close) => (
        <RevealSecret
          id="webhook-secret"
          label={`Signing secret for “${created.name}”`}
          value={created.secret}
          noun="secret"
          lost="If you lose it, delete the endpoint and add it again."
          onDone={close}
        >
          <p className="text-sm text-slate-600">
            Requests are signed the Standard Webhooks way (
            <code className="rounded bg-slate-100 px-1 py-0.5 text-xs">webhook-id</code>,{' '}
            <code className="rounded bg-slate-100 px-1 py-0.5 text-xs">webhook-timestamp</code>,{' '}
            <code className="rounded bg-slate-100 px-1 py-0.5 text-xs">webhook-signature</code>): verify them with this
            secret and any Standard Webhooks library, which also refuses a timestamp more than 5 minutes away.
          </p>
        </RevealSecret>
      )}
    />
  );
}

function CreateWebhookForm({
  onCancel,
  onCreate,
}: {
  onCancel: () => void;
  onCreate: (input: CreateWebhookInput) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([...WEBHOOK_EVENT_TYPES]);
  const { pending, errors, submitValid, clearFieldError } = useFormSubmit(FIELDS);

  const toggle = (event: WebhookEventType) =>
    setEvents((current) => (current.includes(event) ? current.filter((e) => e !== event) : [...current, event]));

  return (
    <form
      method="post"
      onChange={clearFieldError}
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        submitValid(createWebhookSchema, { name, url, events }, onCreate);
      }}
    >
      <FormAlert message={errors.message} />
      <TextField label="Name" name="name" maxLength={200} error={errors.fields.name} value={name} onChange={setName} />
      <TextField
        label="URL"
        name="url"
        maxLength={2000}
        error={errors.fields.url}
        hint="https:// in production; the request has a 10 s timeout and redirects are not followed."
        value={url}
        onChange={setUrl}
      />
      <fieldset aria-describedby={errors.fields.events ? 'webhook-events-error' : undefined}>
        <legend className="label">Events</legend>
        <div className="space-y-2">
          {WEBHOOK_EVENT_TYPES.map((event) => (
            <label key={event} className="flex items-start gap-2 text-sm">
              <input type="checkbox" className="mt-1" checked={events.includes(event)} onChange={() => toggle(event)} />
              <span>
                <span className="font-medium text-slate-900">{EVENTS[event].label}</span>{' '}
                <code className="text-xs text-slate-500">{event}</code>
                <span className="block text-xs text-slate-500">{EVENTS[event].hint}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldError id="webhook-events-error" message={errors.fields.events} />
      </fieldset>
      <FormActions onCancel={onCancel} pending={pending} label="Add endpoint" pendingLabel="Adding…" />
    </form>
  );
}

function DeleteWebhookDialog({
  endpoint,
  onClose,
  onDelete,
}: {
  endpoint: PublicWebhookEndpoint | null;
  onClose: () => void;
  onDelete: (endpoint: PublicWebhookEndpoint) => Promise<void>;
}) {
  const { pending, errors, submit } = useFormSubmit([]);
  return (
    <Dialog
      open={!!endpoint}
      onClose={onClose}
      title={endpoint ? `Delete ${endpoint.name}?` : 'Delete endpoint'}
      description="No more events are sent to it, including retries still queued. Its delivery log is deleted too."
    >
      <form
        method="post"
        onSubmit={(e) => {
          e.preventDefault();
          if (endpoint) void submit(() => onDelete(endpoint));
        }}
      >
        <FormAlert message={errors.message} />
        <FormActions
          onCancel={onClose}
          pending={pending}
          label="Delete endpoint"
          pendingLabel="Deleting…"
          tone="danger"
        />
      </form>
    </Dialog>
  );
}
