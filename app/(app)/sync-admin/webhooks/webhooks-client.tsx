'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Badge } from '@/app/components/badge';
import { DateTime } from '@/app/components/date-time';
import { Dialog, FormActions, FormAlert } from '@/app/components/dialog-client';
import { EmptyState } from '@/app/components/empty-state';
import { LoadError } from '@/app/components/notice';
import { PageHeader } from '@/app/components/page-header';
import { CreateWithSecretDialog, RevealSecret } from '@/app/components/reveal-secret-client';
import { RowAction } from '@/app/components/row-action';
import { useCanWrite, Writes } from '@/app/components/write-access-client';
import { TableHead } from '@/app/components/table-head';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import { deliveryQuery, useWebhooks } from '@/lib/swr/use-webhooks';
import {
  type CreatedWebhookEndpoint,
  createWebhookSchema,
  type PublicWebhookEndpoint,
  WEBHOOK_EVENT_TYPES,
} from '@/lib/webhooks/schemas';
import { ActionFeedback, useActionFeedback } from '../../recruitment/action-feedback';
import { EndpointPanel, type LogFilters } from './endpoint-panel-client';
import { EVENTS } from './labels';
import { SignatureHint, WebhookForm, type WebhookFormValues } from './webhook-form-client';

export function WebhooksClient({
  initialEndpoints,
  initialSelected,
  initialFilters,
}: {
  initialEndpoints: PublicWebhookEndpoint[];
  initialSelected: string | null;
  initialFilters: LogFilters;
}) {
  const hooks = useWebhooks(initialEndpoints);
  const { endpoints, error, reload } = hooks;
  const feedback = useActionFeedback();
  const pathname = usePathname();
  const [creating, setCreating] = useState(false);
  const canWrite = useCanWrite();
  const [deleting, setDeleting] = useState<PublicWebhookEndpoint | null>(null);
  const [selected, setSelected] = useState<string | null>(
    initialEndpoints.some((e) => e.id === initialSelected) ? initialSelected : (initialEndpoints[0]?.id ?? null),
  );
  const [filters, setFilters] = useState<LogFilters>(initialFilters);
  const current = endpoints.find((e) => e.id === selected) ?? null;

  // The endpoint and the log's filters live in the address: a filtered log can be shared and survives a reload.
  useEffect(() => {
    const next = `${pathname}${deliveryQuery({ endpoint: current?.id, ...filters })}`;
    if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', next);
  }, [current?.id, filters, pathname]);

  function manage(endpoint: PublicWebhookEndpoint) {
    if (endpoint.id !== selected) setFilters({});
    setSelected(endpoint.id);
    // Keyboard and screen-reader users land where the endpoint's controls are.
    requestAnimationFrame(() => document.getElementById('endpoint-heading')?.focus());
  }

  function sendTest(endpoint: PublicWebhookEndpoint) {
    void feedback.attempt(async () => {
      await hooks.sendTestEvent(endpoint.id);
      if (endpoint.id !== selected) manage(endpoint);
      return `A test event is on its way to ${endpoint.name}; its delivery shows in the log below.`;
    });
  }

  async function onDelete(endpoint: PublicWebhookEndpoint) {
    await hooks.deleteWebhook(endpoint.id);
    setDeleting(null);
    if (endpoint.id === selected) setSelected(endpoints.find((e) => e.id !== endpoint.id)?.id ?? null);
    feedback.setNotice(`${endpoint.name} was deleted with its delivery log.`);
  }

  const failing = endpoints.filter((e) => e.failing && e.is_active).length;
  const autoDisabled = endpoints.filter((e) => e.disabled?.kind === 'failing');

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
        <Writes>
          <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
            Add endpoint
          </button>
        </Writes>
      </PageHeader>

      {autoDisabled.length > 0 && (
        <section
          aria-labelledby="auto-disabled-heading"
          className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800"
          data-testid="webhooks-auto-disabled"
        >
          <h2 id="auto-disabled-heading" className="font-semibold">
            {autoDisabled.length === 1 ? 'An endpoint was' : `${autoDisabled.length} endpoints were`} disabled
            automatically
          </h2>
          <ul className="mt-1 space-y-1">
            {autoDisabled.map((e) => (
              <li key={e.id}>
                <button type="button" className="font-medium underline" onClick={() => manage(e)}>
                  {e.name}
                </button>
                : {e.disabled?.reason}
              </li>
            ))}
          </ul>
        </section>
      )}

      <ActionFeedback notice={feedback.notice} error={feedback.error} />
      {error && <LoadError what="webhook endpoints" error={error} onRetry={reload} />}

      <div className="card overflow-x-auto">
        {endpoints.length === 0 ? (
          <EmptyState
            title="No webhook endpoints yet"
            description="Add a URL to receive a signed JSON event when a sync completes or fails, or when a source stops accepting deliveries."
          >
            <Writes>
              <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
                Add an endpoint
              </button>
            </Writes>
          </EmptyState>
        ) : (
          <table className="table">
            <caption className="sr-only">Webhook endpoints with their events and state</caption>
            <TableHead columns={['Endpoint', 'Events', 'State', 'Last delivered']} />
            <tbody className="divide-y divide-slate-100">
              {endpoints.map((endpoint) => (
                <tr
                  key={endpoint.id}
                  className={endpoint.id === selected ? 'bg-brand-50/40' : undefined}
                  aria-current={endpoint.id === selected ? 'true' : undefined}
                >
                  <td className="min-w-64 max-w-sm">
                    <div className="font-medium text-slate-900">{endpoint.name}</div>
                    {endpoint.description && (
                      <div className="mt-0.5 line-clamp-2 text-xs text-slate-600">{endpoint.description}</div>
                    )}
                    <div className="mt-0.5 truncate font-mono text-xs text-slate-500" title={endpoint.url}>
                      {endpoint.url}
                    </div>
                    <div className="mt-0.5 text-xs text-slate-500">Secret {endpoint.secret_mask}</div>
                  </td>
                  <td className="max-w-xs">
                    <div className="flex flex-wrap gap-1">
                      {endpoint.events.map((event) => (
                        <Badge key={event} tone="gray">
                          {EVENTS[event]?.label ?? event}
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
                      <RowAction
                        label={canWrite ? 'Manage' : 'View'}
                        subject={endpoint.name}
                        onClick={() => manage(endpoint)}
                      />
                      <Writes>
                        {endpoint.is_active && (
                          <RowAction
                            label="Send test event"
                            subject={endpoint.name}
                            onClick={() => sendTest(endpoint)}
                          />
                        )}
                        <RowAction
                          label="Delete"
                          subject={endpoint.name}
                          danger
                          onClick={() => setDeleting(endpoint)}
                        />
                      </Writes>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      {current && (
        <EndpointPanel
          key={current.id}
          endpoint={current}
          hooks={hooks}
          feedback={feedback}
          filters={filters}
          onFilters={setFilters}
          onSendTest={() => sendTest(current)}
        />
      )}

      <CreateWebhookDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreate={async (input) => {
          const created = await hooks.createWebhook(input);
          setSelected(created.id);
          setFilters({});
          return created;
        }}
      />
      <DeleteWebhookDialog endpoint={deleting} onClose={() => setDeleting(null)} onDelete={onDelete} />
    </div>
  );
}

function EndpointState({ endpoint }: { endpoint: PublicWebhookEndpoint }) {
  if (endpoint.disabled) {
    return (
      <div className="space-y-1">
        <Badge tone={endpoint.disabled.kind === 'failing' ? 'red' : 'gray'}>
          {endpoint.disabled.kind === 'failing' ? 'Disabled automatically' : 'Disabled'}
        </Badge>
        <p className="line-clamp-2 break-words text-xs text-slate-600" title={endpoint.disabled.reason}>
          {endpoint.disabled.reason}
        </p>
      </div>
    );
  }
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

const NEW_ENDPOINT: WebhookFormValues = {
  name: '',
  description: '',
  url: '',
  events: [...WEBHOOK_EVENT_TYPES],
  signing_mode: 'standard',
};

function CreateWebhookDialog({
  open,
  onClose,
  onCreate,
}: {
  open: boolean;
  onClose: () => void;
  onCreate: (input: WebhookFormValues) => Promise<CreatedWebhookEndpoint>;
}) {
  return (
    <CreateWithSecretDialog<CreatedWebhookEndpoint>
      open={open}
      onClose={onClose}
      title="Add webhook endpoint"
      revealTitle="Copy the signing secret"
      description="We POST each event as signed JSON; anything but a 2xx answer is retried."
      form={(onCreated, close) => (
        <WebhookForm
          initial={NEW_ENDPOINT}
          schema={createWebhookSchema}
          label="Add endpoint"
          pendingLabel="Adding…"
          onCancel={close}
          onSubmit={async (input) => onCreated(await onCreate(input))}
        />
      )}
      reveal={(created, close) => (
        <RevealSecret
          id="webhook-secret"
          label={`Signing secret for “${created.name}”`}
          value={created.secret}
          noun="secret"
          lost="If you lose it, rotate the secret on this page."
          onDone={close}
        >
          <SignatureHint mode={created.signing_mode} />
        </RevealSecret>
      )}
    />
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
      description="No more events are sent to it, including retries still queued. Its delivery log is deleted too. To stop it for a while, disable it instead."
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
