'use client';

import Link from 'next/link';
import { Writes } from '@/app/components/write-access-client';
import { useState } from 'react';
import { Badge } from '@/app/components/badge';
import { DateTime } from '@/app/components/date-time';
import { LoadError } from '@/app/components/notice';
import { TableHead } from '@/app/components/table-head';
import { describeCron } from '@/lib/schedules/describe-cron';
import type { SyncRunStatus } from '@/db/types';
import type { PublicSchedule } from '@/lib/schedules/schemas';
import { RUN_STATUS_TEXT } from '@/lib/sync/statuses';
import { useSchedules } from '@/lib/swr/use-schedules';
import { ActionFeedback, useActionFeedback } from '../../recruitment/action-feedback';
import { ConfirmDeleteDialog, ManageRowActions } from '../sources/manage-list-client';
import { PageHeader } from '@/app/components/page-header';
import { EmptyState } from '@/app/components/empty-state';

export function SchedulesClient({
  initialSchedules,
  savedId,
}: {
  initialSchedules: PublicSchedule[];
  savedId: string | null;
}) {
  const { schedules, error, reload, updateSchedule, deleteSchedule } = useSchedules(initialSchedules);
  const saved = savedId ? initialSchedules.find((s) => s.id === savedId) : undefined;
  const feedback = useActionFeedback();
  const [shownSaved, setShownSaved] = useState(true);
  const [deleting, setDeleting] = useState<PublicSchedule | null>(null);

  function toggle(schedule: PublicSchedule) {
    setShownSaved(false);
    void feedback.attempt(async () => {
      const updated = await updateSchedule(schedule.id, { is_enabled: !schedule.is_enabled });
      return updated.is_enabled
        ? `${updated.name} is enabled. Next run: ${formatRun(updated.next_runs[0])}.`
        : `${updated.name} is disabled: it will not run until enabled again.`;
    });
  }

  async function onDelete(schedule: PublicSchedule) {
    await deleteSchedule(schedule.id);
    setDeleting(null);
    setShownSaved(false);
    feedback.setNotice(`${schedule.name} was deleted.`);
  }

  const notice =
    feedback.notice ??
    (saved && shownSaved
      ? `${saved.name} was saved.${saved.next_runs[0] ? ` Next run: ${formatRun(saved.next_runs[0])}.` : ''}`
      : null);
  const enabled = schedules.filter((s) => s.is_enabled).length;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Schedules"
        description={
          <>
            Syncs that run by themselves · {enabled} enabled of {schedules.length}
          </>
        }
      >
        <Writes>
          <Link href="/sync-admin/schedules/new" className="btn-primary">
            New schedule
          </Link>
        </Writes>
      </PageHeader>

      <ActionFeedback notice={notice} error={feedback.error} />
      {error && <LoadError what="schedules" error={error} onRetry={reload} />}

      <div className="card overflow-x-auto">
        {schedules.length === 0 ? (
          <EmptyState
            title="No schedules yet"
            description="Sync hired candidates every night, every hour or on weekdays, without anyone pressing the button."
          >
            <Writes>
              <Link href="/sync-admin/schedules/new" className="btn-primary">
                Create a schedule
              </Link>
            </Writes>
          </EmptyState>
        ) : (
          <table className="table">
            <caption className="sr-only">Scheduled syncs</caption>
            <TableHead columns={['Schedule', 'Syncs', 'Next run', 'Last run', 'Status']} />
            <tbody className="divide-y divide-slate-100">
              {schedules.map((schedule) => (
                <tr
                  key={schedule.id}
                  className={
                    schedule.id === savedId && shownSaved
                      ? 'bg-brand-50/50'
                      : schedule.is_enabled
                        ? undefined
                        : 'bg-slate-50/60'
                  }
                >
                  <td className="min-w-56">
                    <Link
                      href={`/sync-admin/schedules/${schedule.id}`}
                      className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                    >
                      {schedule.name}
                    </Link>
                    <div className="mt-0.5 text-sm text-slate-700">{describeCron(schedule.cron) ?? 'Custom'}</div>
                    <div className="mt-0.5 text-xs text-slate-500">
                      <code className="font-mono">{schedule.cron}</code> · {schedule.timezone.replace(/_/g, ' ')}
                    </div>
                  </td>
                  <td className="min-w-56 max-w-xs text-sm">
                    <Scope schedule={schedule} />
                  </td>
                  <td className="whitespace-nowrap">
                    <NextRuns schedule={schedule} />
                  </td>
                  <td className="min-w-48 max-w-xs">
                    <LastRun schedule={schedule} />
                  </td>
                  <td>
                    <Badge tone={schedule.is_enabled ? 'green' : 'gray'}>
                      {schedule.is_enabled ? 'Enabled' : 'Disabled'}
                    </Badge>
                  </td>
                  <td>
                    <ManageRowActions
                      name={schedule.name}
                      editHref={`/sync-admin/schedules/${schedule.id}`}
                      toggleLabel={schedule.is_enabled ? 'Disable' : 'Enable'}
                      onToggle={() => toggle(schedule)}
                      onDelete={() => setDeleting(schedule)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <ConfirmDeleteDialog
        item={deleting}
        what="schedule"
        description="It stops running at once. Syncs it already started carry on and stay in the history."
        onClose={() => setDeleting(null)}
        onDelete={onDelete}
      />
    </div>
  );
}

const RUN_FORMAT = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

function formatRun(iso: string | undefined): string {
  return iso ? RUN_FORMAT.format(new Date(iso)) : 'none';
}

function Scope({ schedule }: { schedule: PublicSchedule }) {
  return (
    <div className="space-y-0.5">
      <div className="text-slate-900">
        {schedule.job ? (
          <Link href={`/recruitment/jobs/${schedule.job.slug}/hired`} className="hover:text-brand-700 hover:underline">
            {schedule.job.title}
          </Link>
        ) : (
          'All open postings with hired candidates'
        )}
        {schedule.job?.status === 'closed' && <span className="ml-1 text-xs text-slate-500">(closed)</span>}
      </div>
      <div className="text-xs text-slate-500">
        {schedule.source_ids
          ? `To ${schedule.sources.map((s) => (s.deleted ? `${s.name} (deleted)` : s.is_active ? s.name : `${s.name} (inactive)`)).join(', ')}`
          : 'To all active sources'}
        {schedule.force && ' · resends unchanged candidates'}
      </div>
    </div>
  );
}

function NextRuns({ schedule }: { schedule: PublicSchedule }) {
  const [first, ...rest] = schedule.next_runs;
  if (!first) return <span className="text-slate-500">{schedule.is_enabled ? '—' : 'Not while disabled'}</span>;
  return (
    <div>
      <DateTime value={first} />
      {rest.length > 0 && (
        <details className="mt-0.5 text-xs text-slate-500">
          <summary className="cursor-pointer select-none hover:text-slate-700">
            Next {schedule.next_runs.length}
          </summary>
          <ol className="mt-1 space-y-0.5">
            {schedule.next_runs.map((iso) => (
              <li key={iso}>
                <DateTime value={iso} />
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}

function LastRun({ schedule }: { schedule: PublicSchedule }) {
  const latest = schedule.recent_runs[0];
  if (!schedule.last_run_at) return <span className="text-slate-500">Never</span>;
  // The schedule's API types a run's status as a plain string; an unknown one reads as pending.
  const status = latest ? (RUN_STATUS_TEXT[latest.status as SyncRunStatus] ?? RUN_STATUS_TEXT.pending) : null;
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <DateTime value={schedule.last_run_at} />
        {status && latest && (
          <Link href={`/sync-admin/tasks/${latest.task_id}`} title={`Run for ${latest.job.title}`}>
            <Badge tone={status.tone}>{status.label}</Badge>
          </Link>
        )}
      </div>
      {schedule.last_error ? (
        <p className="line-clamp-2 break-words text-xs text-red-700" title={schedule.last_error}>
          {schedule.last_error}
        </p>
      ) : (
        !latest && <p className="text-xs text-slate-500">Nothing to sync</p>
      )}
    </div>
  );
}
