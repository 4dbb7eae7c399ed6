'use client';

import Link from 'next/link';
import useSWR from 'swr';
import { swrFetcher } from '@/lib/client/api-fetch';
import type { PublicWebhookEndpoint } from '@/lib/webhooks/schemas';
import { Panel } from './sync-admin-ui';
import { failureLine, webhookHealth } from './webhook-health';

/** Completion-webhook endpoints that keep failing, on the dashboard (refreshed with it). */
export function WebhookHealth({ refreshMs }: { refreshMs: number }) {
  const { data, error } = useSWR<{ data: PublicWebhookEndpoint[] }>('/api/v1/webhooks', swrFetcher, {
    refreshInterval: refreshMs,
  });
  const endpoints = data?.data.filter((e) => e.is_active) ?? [];
  const { failing, summary } = webhookHealth(endpoints);
  // Switched off for failing for days: stays here until an admin enables or deletes it.
  const autoDisabled = data?.data.filter((e) => e.disabled?.kind === 'failing') ?? [];
  return (
    <Panel
      title="Completion webhooks"
      description="Endpoints told about finished syncs and unhealthy sources"
      actions={
        <Link href="/sync-admin/webhooks" className="btn-secondary">
          Manage webhooks
        </Link>
      }
    >
      {error ? (
        <p className="px-5 py-4 text-sm text-red-700">Could not load the webhook endpoints.</p>
      ) : !data ? (
        <p className="px-5 py-4 text-sm text-slate-500">Loading…</p>
      ) : endpoints.length === 0 && autoDisabled.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-500">No webhook endpoints registered.</p>
      ) : (
        <>
          {autoDisabled.length > 0 && (
            <ul className="divide-y divide-slate-100" data-testid="webhooks-auto-disabled">
              {autoDisabled.map((e) => (
                <li key={e.id} className="flex flex-wrap items-baseline justify-between gap-2 px-5 py-3">
                  <div>
                    <span className="badge bg-red-100 text-red-800">Disabled automatically</span>{' '}
                    <Link
                      href={`/sync-admin/webhooks?endpoint=${e.id}`}
                      className="font-medium text-slate-900 hover:underline"
                    >
                      {e.name}
                    </Link>
                    <div className="text-xs text-slate-500">{e.url}</div>
                  </div>
                  <div className="max-w-md text-right text-xs text-slate-600">{e.disabled?.reason}</div>
                </li>
              ))}
            </ul>
          )}
          {failing.length > 0 && (
            <ul className="divide-y divide-slate-100" data-testid="webhooks-failing">
              {failing.map((e) => (
                <li key={e.id} className="flex flex-wrap items-baseline justify-between gap-2 px-5 py-3">
                  <div>
                    <span className="badge bg-red-100 text-red-800">Failing</span>{' '}
                    <Link href="/sync-admin/webhooks" className="font-medium text-slate-900 hover:underline">
                      {e.name}
                    </Link>
                    <div className="text-xs text-slate-500">{e.url}</div>
                  </div>
                  <div className="text-right text-xs text-slate-600">
                    {failureLine(e)}
                    {e.last_error ? <div className="max-w-md truncate text-slate-500">{e.last_error}</div> : null}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {summary && (
            <p
              className={`px-5 py-4 text-sm text-slate-700 ${failing.length ? 'border-t border-slate-100' : ''}`}
              data-testid="webhooks-ok"
            >
              {summary}
            </p>
          )}
        </>
      )}
    </Panel>
  );
}
