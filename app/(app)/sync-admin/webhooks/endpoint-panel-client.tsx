'use client';

import { DateRangeFields } from '@/app/components/date-range-fields';
import { useState } from 'react';
import { Badge } from '@/app/components/badge';
import { ConfirmDialog } from '@/app/components/confirm-dialog-client';
import { DateTime } from '@/app/components/date-time';
import { Dialog, FormActions, FormAlert } from '@/app/components/dialog-client';
import { EmptyState } from '@/app/components/empty-state';
import { useCanWrite, Writes } from '@/app/components/write-access-client';
import { LoadError } from '@/app/components/notice';
import { CreateWithSecretDialog, RevealSecret } from '@/app/components/reveal-secret-client';
import type { WebhookEventType } from '@/db/types';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import { type useWebhooks, useWebhookDeliveries } from '@/lib/swr/use-webhooks';
import {
  type CreatedWebhookEndpoint,
  LOGGED_EVENT_TYPES,
  type PublicWebhookDelivery,
  type PublicWebhookEndpoint,
  ROTATE_OVERLAP_HOURS,
  TEST_EVENT_TYPE,
  updateWebhookSchema,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_LOG_PAGE_SIZE,
} from '@/lib/webhooks/schemas';
import type { useActionFeedback } from '../../recruitment/action-feedback';
import { PagedTable, useCursorPages } from '../../recruitment/paged-table';
import { SIGNING_MODE_LABELS } from '../sources/labels';
import { DELIVERY_STATUS, EVENTS } from './labels';
import { SignatureHint, WebhookForm, type WebhookFormValues } from './webhook-form-client';

/** The log's filters as the address carries them; `from`/`to` are days in the reader's zone. */
export type LogFilters = { status?: string; event_type?: string; from?: string; to?: string };

// A day runs from its local midnight to the next.
const startOfDay = (date?: string) => (date ? new Date(`${date}T00:00:00`).toISOString() : undefined);
function endOfDay(date?: string): string | undefined {
  if (!date) return undefined;
  const next = new Date(`${date}T00:00:00`);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
}

const eventLabel = (type: string) =>
  type === TEST_EVENT_TYPE ? 'Test event' : (EVENTS[type as WebhookEventType]?.label ?? type);

type Hooks = ReturnType<typeof useWebhooks>;
type Feedback = ReturnType<typeof useActionFeedback>;

/** One endpoint: its state, what can be done with it, and its delivery log. */
export function EndpointPanel({
  endpoint,
  hooks,
  feedback,
  filters,
  onFilters,
  onSendTest,
}: {
  endpoint: PublicWebhookEndpoint;
  hooks: Hooks;
  feedback: Feedback;
  filters: LogFilters;
  onFilters: (filters: LogFilters) => void;
  onSendTest: () => void;
}) {
  const [dialog, setDialog] = useState<'edit' | 'rotate' | 'disable' | null>(null);
  const canWrite = useCanWrite();
  // What failed while it was off, offered for recovery right after enabling.
  const [recoverable, setRecoverable] = useState<{ count: number; since: string } | null>(null);
  const pages = useCursorPages();
  const rangeInvalid = !!filters.from && !!filters.to && filters.from > filters.to;
  const log = useWebhookDeliveries(
    endpoint.id,
    {
      status: filters.status,
      event_type: filters.event_type,
      from: startOfDay(filters.from),
      to: rangeInvalid ? undefined : endOfDay(filters.to),
    },
    pages.cursor,
  );
  const filtered = Object.values(filters).some(Boolean);

  const change = (patch: Partial<LogFilters> | null) => {
    onFilters(patch ? { ...filters, ...patch } : {});
    pages.reset();
  };

  function enable() {
    void feedback.attempt(async () => {
      const updated = await hooks.updateWebhook(endpoint.id, { is_active: true });
      if (updated.failed_while_disabled && updated.recover_since) {
        setRecoverable({ count: updated.failed_while_disabled, since: updated.recover_since });
      }
      await log.reload();
      return `${endpoint.name} is enabled: new events are sent to it again.`;
    });
  }

  function recover(since: string) {
    void feedback.attempt(async () => {
      const result = await hooks.recover(endpoint.id, since);
      setRecoverable(null);
      await log.reload();
      if (result.redelivered === 0) return 'No failed events to send again in that time.';
      return `${result.redelivered} failed event${result.redelivered === 1 ? ' is' : 's are'} being sent again${
        result.more ? ' (more are left: run it again)' : ''
      }.`;
    });
  }

  function redeliver(delivery: PublicWebhookDelivery) {
    void feedback.attempt(async () => {
      await hooks.redeliver(endpoint.id, delivery.id);
      await log.reload();
      return `${eventLabel(delivery.event_type)} ${delivery.event_id.slice(0, 8)} is being sent again.`;
    });
  }

  return (
    <section aria-labelledby="endpoint-heading" className="space-y-4" data-testid="endpoint-panel">
      <div className="card space-y-4 p-5">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0 space-y-1">
            <h2 id="endpoint-heading" tabIndex={-1} className="text-lg font-semibold tracking-tight">
              {endpoint.name}
            </h2>
            {endpoint.description && <p className="text-sm text-slate-700">{endpoint.description}</p>}
            <p className="break-all font-mono text-xs text-slate-600">{endpoint.url}</p>
            <p className="text-xs text-slate-600">
              Secret {endpoint.secret_mask} · {SIGNING_MODE_LABELS[endpoint.signing_mode]}
              {endpoint.previous_secret_expires_at && (
                <>
                  {' '}
                  · the previous secret also signs until <DateTime value={endpoint.previous_secret_expires_at} />
                </>
              )}
            </p>
          </div>
          <Writes>
            <div className="flex flex-wrap gap-2">
              <button type="button" className="btn-secondary" onClick={() => setDialog('edit')}>
                Edit
              </button>
              <button type="button" className="btn-secondary" onClick={() => setDialog('rotate')}>
                Rotate secret
              </button>
              {endpoint.is_active ? (
                <>
                  <button type="button" className="btn-secondary" onClick={onSendTest}>
                    Send test event
                  </button>
                  <button type="button" className="btn-secondary" onClick={() => setDialog('disable')}>
                    Disable
                  </button>
                </>
              ) : (
                <button type="button" className="btn-primary" onClick={enable}>
                  Enable
                </button>
              )}
            </div>
          </Writes>
        </div>
        <EndpointAlert endpoint={endpoint} />
        {recoverable && (
          <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            <span>
              {recoverable.count} event{recoverable.count === 1 ? '' : 's'} failed or were not sent while it was off.
            </span>
            <Writes>
              <button type="button" className="btn-secondary" onClick={() => recover(recoverable.since)}>
                Send {recoverable.count === 1 ? 'it' : 'them'} again
              </button>
            </Writes>
          </div>
        )}
        {endpoint.is_active && (
          <Writes>
            <RecoverForm onRecover={recover} />
          </Writes>
        )}
      </div>

      <div className="flex items-end justify-between gap-4">
        <div>
          <h3 className="text-base font-semibold tracking-tight">Deliveries to {endpoint.name}</h3>
          <p className="text-sm text-slate-600">Newest first; failed attempts are retried with growing pauses.</p>
        </div>
        <button type="button" className="btn-secondary" onClick={() => void log.reload()}>
          Refresh
        </button>
      </div>
      <search className="card grid gap-4 p-4 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_1fr_1fr_auto] lg:items-end">
        <div>
          <label htmlFor="log-status" className="label">
            Status
          </label>
          <select
            id="log-status"
            className="input"
            value={filters.status ?? ''}
            onChange={(e) => change({ status: e.target.value || undefined })}
          >
            <option value="">All statuses</option>
            {WEBHOOK_DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {DELIVERY_STATUS[s].label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="log-event" className="label">
            Event
          </label>
          <select
            id="log-event"
            className="input"
            value={filters.event_type ?? ''}
            onChange={(e) => change({ event_type: e.target.value || undefined })}
          >
            <option value="">All events</option>
            {LOGGED_EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {eventLabel(t)}
              </option>
            ))}
          </select>
        </div>
        <DateRangeFields
          idPrefix="log"
          from={filters.from ?? ''}
          to={filters.to ?? ''}
          invalid={rangeInvalid}
          onFrom={(from) => change({ from: from || undefined })}
          onTo={(to) => change({ to: to || undefined })}
        />
        <button type="button" className="btn-ghost" disabled={!filtered} onClick={() => change(null)}>
          Clear
        </button>
      </search>
      {rangeInvalid && (
        <p role="alert" className="field-error">
          “From” must not be after “To”.
        </p>
      )}
      {log.error && <LoadError what="deliveries" error={log.error} onRetry={log.reload} />}
      <PagedTable
        caption={`Deliveries to ${endpoint.name}, newest first`}
        busy={log.isLoading}
        empty={
          log.deliveries.length === 0 && !log.isLoading ? (
            <EmptyState
              title={filtered ? 'No deliveries match these filters' : 'Nothing sent yet'}
              description={
                filtered ? 'Try another status, event or date range.' : 'Use “Send test event” to check the endpoint.'
              }
            />
          ) : null
        }
        head={
          <>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Answer</th>
            <th scope="col">Queued</th>
            <th scope="col">Last attempt</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </>
        }
        pager={{
          label: 'Delivery log pages',
          pages,
          pageSize: WEBHOOK_LOG_PAGE_SIZE,
          shown: log.deliveries.length,
          nextCursor: log.nextCursor,
        }}
      >
        {log.deliveries.map((d) => (
          <DeliveryRow
            key={d.id}
            delivery={d}
            canRedeliver={endpoint.is_active && canWrite}
            onRedeliver={() => redeliver(d)}
          />
        ))}
      </PagedTable>

      <EditWebhookDialog
        endpoint={endpoint}
        open={dialog === 'edit'}
        onClose={() => setDialog(null)}
        onSave={async (input) => {
          await hooks.updateWebhook(endpoint.id, input);
          setDialog(null);
          feedback.setNotice(`${input.name} was saved.`);
        }}
      />
      <RotateSecretDialog
        endpoint={endpoint}
        open={dialog === 'rotate'}
        onClose={() => setDialog(null)}
        onRotate={(hours) => hooks.rotateSecret(endpoint.id, hours)}
      />
      <ConfirmDialog
        open={dialog === 'disable'}
        title={`Disable ${endpoint.name}?`}
        description="No new events are sent to it. Deliveries still queued or waiting to retry are not sent either; after enabling it again you can send them again from here."
        confirmLabel="Disable endpoint"
        pendingLabel="Disabling…"
        danger
        onClose={() => setDialog(null)}
        onConfirm={async () => {
          await hooks.updateWebhook(endpoint.id, { is_active: false });
          setDialog(null);
          feedback.setNotice(`${endpoint.name} is disabled: no events are sent to it.`);
        }}
      />
    </section>
  );
}

/** Why the endpoint is off, or how close it is to being switched off. */
function EndpointAlert({ endpoint }: { endpoint: PublicWebhookEndpoint }) {
  if (endpoint.disabled) {
    const automatic = endpoint.disabled.kind === 'failing';
    return (
      <div
        className={`rounded-md border px-3 py-2 text-sm ${automatic ? 'border-red-200 bg-red-50 text-red-800' : 'border-slate-200 bg-slate-50 text-slate-700'}`}
        data-testid="endpoint-disabled"
      >
        <p className="font-semibold">
          {automatic ? 'Disabled automatically' : 'Disabled'} on <DateTime value={endpoint.disabled.at} />
        </p>
        <p className="break-words">{endpoint.disabled.reason}</p>
        <p className="mt-1">
          {automatic
            ? 'Fix the receiver (the log below shows what it answered), then enable it; the events that failed can be sent again.'
            : 'No events are sent to it until it is enabled.'}
        </p>
      </div>
    );
  }
  if (endpoint.failing_since && (endpoint.consecutive_failures > 0 || endpoint.retrying > 0)) {
    return (
      <div className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        <p>
          Every attempt since <DateTime value={endpoint.failing_since} /> failed
          {endpoint.last_error ? <>: {endpoint.last_error}</> : '.'}
        </p>
        {endpoint.auto_disable_at && (
          <p className="mt-1">
            If nothing gets through, it is disabled automatically on <DateTime value={endpoint.auto_disable_at} />.
          </p>
        )}
      </div>
    );
  }
  return null;
}

/** Sends again every event that failed since a chosen time. */
function RecoverForm({ onRecover }: { onRecover: (since: string) => void }) {
  const [since, setSince] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      method="post"
      className="flex flex-wrap items-end gap-3 border-t border-slate-100 pt-4"
      onSubmit={(e) => {
        e.preventDefault();
        const at = since ? new Date(since) : null;
        if (!at || Number.isNaN(at.getTime())) return setProblem('Choose a date and time.');
        setProblem(null);
        onRecover(at.toISOString());
      }}
    >
      <div>
        <label htmlFor="recover-since" className="label">
          Send failed events again, since
        </label>
        <input
          id="recover-since"
          type="datetime-local"
          className="input"
          value={since}
          aria-invalid={!!problem}
          aria-describedby={problem ? 'recover-since-error' : 'recover-since-hint'}
          onChange={(e) => {
            setSince(e.target.value);
            setProblem(null);
          }}
        />
      </div>
      <button type="submit" className="btn-secondary">
        Redeliver failed
      </button>
      {problem ? (
        <p id="recover-since-error" role="alert" className="field-error w-full">
          {problem}
        </p>
      ) : (
        <p id="recover-since-hint" className="w-full text-xs text-slate-500">
          Each event whose delivery failed since then, and was not sent again, is sent once more, oldest first.
        </p>
      )}
    </form>
  );
}

/** The error repeats the status shown beside it ("HTTP 500: {…}"): keep what the receiver said. */
function withoutStatus(error: string, status: number | null): string {
  const prefix = `HTTP ${status}: `;
  return status !== null && error.startsWith(prefix) ? error.slice(prefix.length) : error;
}

function DeliveryRow({
  delivery: d,
  canRedeliver,
  onRedeliver,
}: {
  delivery: PublicWebhookDelivery;
  canRedeliver: boolean;
  onRedeliver: () => void;
}) {
  const status = DELIVERY_STATUS[d.status];
  const settled = d.status === 'succeeded' || d.status === 'failed';
  return (
    <tr>
      <td>
        <div className="font-medium text-slate-900">{eventLabel(d.event_type)}</div>
        <div className="font-mono text-xs text-slate-500">{d.event_id}</div>
        {d.redelivery_of && <div className="text-xs text-slate-600">Sent again</div>}
      </td>
      <td>
        <Badge tone={status.tone}>{status.label}</Badge>
      </td>
      <td className="tabular-nums">{d.attempts}</td>
      <td className="max-w-sm">
        {d.http_status && <span className="tabular-nums">HTTP {d.http_status}</span>}
        {d.duration_ms !== null && d.attempts > 0 && (
          <span className="text-xs text-slate-500"> · {d.duration_ms} ms</span>
        )}
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
      <td className="text-right">
        {settled && canRedeliver && (
          <button type="button" className="btn-ghost px-2.5 py-1.5" onClick={onRedeliver}>
            Redeliver
            <span className="sr-only">
              {' '}
              {eventLabel(d.event_type)} {d.event_id}
            </span>
          </button>
        )}
      </td>
    </tr>
  );
}

function EditWebhookDialog({
  endpoint,
  open,
  onClose,
  onSave,
}: {
  endpoint: PublicWebhookEndpoint;
  open: boolean;
  onClose: () => void;
  onSave: (input: WebhookFormValues) => Promise<void>;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Edit ${endpoint.name}`}
      description="The signing secret stays the same; rotate it separately."
    >
      <WebhookForm
        initial={{
          name: endpoint.name,
          description: endpoint.description ?? '',
          url: endpoint.url,
          events: endpoint.events,
          signing_mode: endpoint.signing_mode,
        }}
        schema={updateWebhookSchema}
        label="Save"
        pendingLabel="Saving…"
        onCancel={onClose}
        onSubmit={onSave}
      />
    </Dialog>
  );
}

function RotateSecretDialog({
  endpoint,
  open,
  onClose,
  onRotate,
}: {
  endpoint: PublicWebhookEndpoint;
  open: boolean;
  onClose: () => void;
  onRotate: (keepPreviousHours: number) => Promise<CreatedWebhookEndpoint>;
}) {
  return (
    <CreateWithSecretDialog<CreatedWebhookEndpoint>
      open={open}
      onClose={onClose}
      title={`Rotate the secret of ${endpoint.name}?`}
      revealTitle="Copy the new signing secret"
      description="A new secret signs every request from now on."
      form={(onCreated, close) => (
        <RotateForm onCancel={close} onRotate={async (hours) => onCreated(await onRotate(hours))} />
      )}
      reveal={(rotated, close) => (
        <RevealSecret
          id="webhook-rotated-secret"
          label={`New signing secret for “${rotated.name}”`}
          value={rotated.secret}
          noun="secret"
          lost="If you lose it, rotate again."
          onDone={close}
        >
          {rotated.previous_secret_expires_at ? (
            <p className="text-sm text-slate-600">
              Until <DateTime value={rotated.previous_secret_expires_at} /> every request carries two signatures, one
              per secret: update the receiver before then.
            </p>
          ) : (
            <p className="text-sm text-slate-600">The old secret no longer signs anything.</p>
          )}
          <SignatureHint mode={rotated.signing_mode} />
        </RevealSecret>
      )}
    />
  );
}

function RotateForm({ onCancel, onRotate }: { onCancel: () => void; onRotate: (hours: number) => Promise<void> }) {
  const [keep, setKeep] = useState(true);
  const { pending, errors, submit } = useFormSubmit([]);
  return (
    <form
      method="post"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(() => onRotate(keep ? ROTATE_OVERLAP_HOURS : 0));
      }}
    >
      <FormAlert message={errors.message} />
      <fieldset className="space-y-2">
        <legend className="label">The old secret</legend>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="keep" className="mt-1" checked={keep} onChange={() => setKeep(true)} />
          <span>
            <span className="font-medium text-slate-900">Keeps signing for {ROTATE_OVERLAP_HOURS} hours</span>
            <span className="block text-xs text-slate-500">
              Requests carry both signatures meanwhile, so the receiver can switch without refusing one.
            </span>
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="keep" className="mt-1" checked={!keep} onChange={() => setKeep(false)} />
          <span>
            <span className="font-medium text-slate-900">Stops now</span>
            <span className="block text-xs text-slate-500">
              For a secret that leaked: requests fail to verify until the receiver has the new one.
            </span>
          </span>
        </label>
      </fieldset>
      <FormActions onCancel={onCancel} pending={pending} label="Rotate secret" pendingLabel="Rotating…" />
    </form>
  );
}
