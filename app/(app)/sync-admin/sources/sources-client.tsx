'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Badge } from '@/app/components/badge';
import { DateTime } from '@/app/components/date-time';
import { LoadError } from '@/app/components/notice';
import { TableHead } from '@/app/components/table-head';
import { ApiError } from '@/lib/client/api-fetch';
import type { PublicSource, TestResult } from '@/lib/sources/schemas';
import type { ConnectorChoice } from '@/lib/sync/connectors/catalog';
import type { SuccessRate } from '@/lib/sources/success-rates';
import { useSources } from '@/lib/swr/use-sources';
import { ActionFeedback, useActionFeedback } from '../../recruitment/action-feedback';
import { endpointUrl, envelopeApplies, healthOf } from './labels';
import { ConfirmDeleteDialog, ManageRowActions } from './manage-list-client';
import { isHeld, PauseSourceDialog, PauseState } from './pause-source-client';
import { RowAction } from '@/app/components/row-action';
import { Writes } from '@/app/components/write-access-client';
import { PageHeader } from '@/app/components/page-header';
import { EmptyState } from '@/app/components/empty-state';

export type TestState = { pending: true } | { pending: false; result: TestResult } | { pending: false; error: string };

const errorText = (err: unknown) =>
  err instanceof ApiError ? err.message : 'Could not reach the server. Check your connection and try again.';

export function SourcesClient({
  initialSources,
  successRates,
  connectors,
}: {
  initialSources: PublicSource[];
  successRates: Record<string, SuccessRate>;
  connectors: ConnectorChoice[];
}) {
  // A named system's requests are its own: the method shown is that of our own receivers only.
  const connectorText = (source: PublicSource) => {
    const connector = connectors.find((c) => c.id === source.connector);
    const name = connector?.name ?? source.connector;
    return envelopeApplies(connector) ? `${name} · ${source.method}` : name;
  };
  const { sources, error, reload, updateSource, deleteSource, testSource, setPaused } = useSources(initialSources);
  const feedback = useActionFeedback();
  const [tests, setTests] = useState<Record<string, TestState>>({});
  const [deleting, setDeleting] = useState<PublicSource | null>(null);
  const [pausing, setPausing] = useState<PublicSource | null>(null);

  async function runTest(source: PublicSource) {
    feedback.clear();
    setTests((t) => ({ ...t, [source.id]: { pending: true } }));
    let state: TestState;
    try {
      state = { pending: false, result: await testSource(source.id) };
    } catch (err) {
      state = { pending: false, error: errorText(err) };
    }
    setTests((t) => ({ ...t, [source.id]: state }));
  }

  function toggleActive(source: PublicSource) {
    void feedback.attempt(async () => {
      await updateSource(source.id, { is_active: !source.is_active });
      return source.is_active
        ? `${source.name} is deactivated: no new deliveries go to it.`
        : `${source.name} is active again.`;
    });
  }

  async function onDelete(source: PublicSource) {
    await deleteSource(source.id);
    setDeleting(null);
    feedback.setNotice(`${source.name} was deleted.`);
  }

  const active = sources.filter((s) => s.is_active).length;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Sources"
        description={
          <>
            The systems hired candidates are delivered to · {active} active of {sources.length}
          </>
        }
      >
        <Writes>
          <Link href="/sync-admin/sources/new" className="btn-primary">
            Add source
          </Link>
        </Writes>
      </PageHeader>

      <ActionFeedback notice={feedback.notice} error={feedback.error} />
      {error && <LoadError what="sources" error={error} onRetry={reload} />}

      <div className="card overflow-x-auto">
        {sources.length === 0 ? (
          <EmptyState
            title="No sources yet"
            description="Add the HR system, payroll or any other system that should receive hired candidates."
          >
            <Writes>
              <Link href="/sync-admin/sources/new" className="btn-primary">
                Add a source
              </Link>
            </Writes>
          </EmptyState>
        ) : (
          <table className="table">
            <caption className="sr-only">Sources with their health and recent success rate</caption>
            <TableHead columns={['Source', 'Health', 'Deliveries, 7 days', 'Status']} />
            <tbody className="divide-y divide-slate-100">
              {sources.map((source) => (
                <tr key={source.id} className={source.is_active ? undefined : 'bg-slate-50/60'}>
                  <td className="min-w-64 max-w-sm">
                    <Link
                      href={`/sync-admin/sources/${source.id}`}
                      className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                    >
                      {source.name}
                    </Link>
                    <div className="mt-0.5 text-xs text-slate-500">{connectorText(source)}</div>
                    <div className="mt-0.5 truncate font-mono text-xs text-slate-500" title={endpointUrl(source)}>
                      {endpointUrl(source)}
                    </div>
                  </td>
                  <td className="min-w-56 max-w-xs">
                    <HealthCell source={source} test={tests[source.id]} />
                  </td>
                  <td className="whitespace-nowrap">
                    <SuccessRateCell rate={successRates[source.id]} />
                    <div className="mt-0.5 text-xs text-slate-500">
                      Last success <DateTime value={source.health.last_success_at} empty="never" />
                    </div>
                  </td>
                  <td className="min-w-40 max-w-xs">
                    <Badge tone={source.is_active ? 'green' : 'gray'}>{source.is_active ? 'Active' : 'Inactive'}</Badge>
                    <PauseState source={source} className="mt-1 text-xs" />
                    <Writes>
                      <div className="-ml-2.5 mt-0.5">
                        <RowAction
                          label={isHeld(source) ? 'Resume' : 'Pause'}
                          subject={source.name}
                          onClick={() => setPausing(source)}
                        />
                      </div>
                    </Writes>
                  </td>
                  <td>
                    <ManageRowActions
                      name={source.name}
                      editHref={`/sync-admin/sources/${source.id}`}
                      toggleLabel={source.is_active ? 'Deactivate' : 'Activate'}
                      onToggle={() => toggleActive(source)}
                      onDelete={() => setDeleting(source)}
                    >
                      <button
                        type="button"
                        className="btn-ghost px-2.5 py-1.5"
                        disabled={tests[source.id]?.pending}
                        onClick={() => void runTest(source)}
                      >
                        {tests[source.id]?.pending ? 'Testing…' : 'Test connection'}
                        <span className="sr-only"> {source.name}</span>
                      </button>
                    </ManageRowActions>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <PauseSourceDialog
        source={pausing}
        onClose={() => setPausing(null)}
        onPause={async (source, reason) => {
          await setPaused(source.id, true, reason);
          setPausing(null);
          feedback.setNotice(`${source.name} is paused: its deliveries wait until you resume it.`);
        }}
        onResume={async (source) => {
          await setPaused(source.id, false);
          setPausing(null);
          feedback.setNotice(`${source.name} is resumed: waiting deliveries are being sent.`);
        }}
      />

      <ConfirmDeleteDialog
        item={deleting}
        what="source"
        description="No new deliveries go to it and it leaves the lists. Its delivery history is kept."
        onClose={() => setDeleting(null)}
        onDelete={onDelete}
      />
    </div>
  );
}

function HealthCell({ source, test }: { source: PublicSource; test: TestState | undefined }) {
  const health = healthOf(source.health.status);
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={health.tone}>{health.label}</Badge>
        {source.health.checked_at && (
          <span className="text-xs text-slate-500">
            checked <DateTime value={source.health.checked_at} />
          </span>
        )}
      </div>
      {source.health.error && (
        <p className="line-clamp-2 break-words text-xs text-red-700" title={source.health.error}>
          {source.health.error}
        </p>
      )}
      <div role="status" aria-live="polite" className="text-xs">
        {test && <TestOutcome test={test} />}
      </div>
    </div>
  );
}

export function TestOutcome({ test }: { test: TestState }) {
  if (test.pending) return <span className="text-slate-500">Testing connection…</span>;
  if ('error' in test) return <span className="text-red-700">Test could not run: {test.error}</span>;
  const r = test.result;
  const facts = [
    healthOf(r.status).label,
    r.http_status ? `HTTP ${r.http_status}` : 'no HTTP answer',
    ...(r.latency_ms === null ? [] : [`${r.latency_ms} ms`]),
  ];
  return (
    <span className={r.ok ? 'font-medium text-emerald-700' : 'text-red-700'} data-testid="test-result">
      {r.ok ? 'Connection OK' : 'Test failed'} · {facts.join(' · ')}
      {r.resumed && <span className="block font-normal">The credentials work again: the source is resumed.</span>}
      {r.error && <span className="block break-words font-normal">{r.error}</span>}
    </span>
  );
}

function SuccessRateCell({ rate }: { rate: SuccessRate | undefined }) {
  const total = rate ? rate.succeeded + rate.failed : 0;
  if (!rate || total === 0) return <div className="text-slate-500">No deliveries</div>;
  const percent = (rate.succeeded / total) * 100;
  const tone = percent >= 95 ? 'text-emerald-700' : percent >= 80 ? 'text-amber-700' : 'text-red-700';
  return (
    <div>
      <span className={`font-semibold tabular-nums ${tone}`}>
        {percent >= 99.95 || percent === 0 ? percent.toFixed(0) : percent.toFixed(1)}% succeeded
      </span>
      <span className="ml-1 text-xs tabular-nums text-slate-500">
        ({rate.succeeded.toLocaleString()} of {total.toLocaleString()})
      </span>
    </div>
  );
}
