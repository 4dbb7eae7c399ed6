'use client';

import Link from 'next/link';
import { useEffect, useId, useState } from 'react';
import { FormAlert } from '@/app/components/dialog-client';
import { useCanWrite, Writes } from '@/app/components/write-access-client';
import { Field, FieldError, TextField } from '@/app/components/field';
import { ApiError } from '@/lib/client/api-fetch';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import { describeCron } from '@/lib/schedules/describe-cron';
import {
  type CreateScheduleInput,
  type PublicSchedule,
  SCHEDULE_PRESETS,
  type ScheduleScope,
  type UpdateScheduleInput,
  createScheduleSchema,
  updateScheduleSchema,
} from '@/lib/schedules/schemas';
import type { PublicSource } from '@/lib/sources/schemas';
import { useJobs } from '@/lib/swr/use-jobs';
import { currentZoneName, localTimeZone } from '@/lib/schedules/time-zones';
import { useSchedulePreview } from '@/lib/swr/use-schedules';
import { useDebouncedValue } from '@/lib/client/use-debounced-value';
import { Choice } from '../sources/form-section';

const FIELDS = ['name', 'cron', 'timezone', 'scope', 'job_slug', 'source_ids', 'force', 'is_enabled'] as const;
const CUSTOM = 'custom';

type PostingChoice = { slug: string; title: string } | null;

type FormState = {
  name: string;
  preset: string;
  cron: string;
  timezone: string;
  scope: ScheduleScope;
  posting: PostingChoice;
  allSources: boolean;
  source_ids: string[];
  force: boolean;
  is_enabled: boolean;
};

const presetOf = (cron: string) => SCHEDULE_PRESETS.find((p) => p.cron === cron)?.cron ?? CUSTOM;

function initialState(schedule?: PublicSchedule): FormState {
  const cron = schedule?.cron ?? SCHEDULE_PRESETS[2].cron;
  return {
    name: schedule?.name ?? '',
    preset: presetOf(cron),
    cron,
    timezone: schedule ? currentZoneName(schedule.timezone) : 'UTC',
    scope: schedule?.scope ?? 'all_open',
    posting: schedule?.job ? { slug: schedule.job.slug, title: schedule.job.title } : null,
    allSources: !schedule?.source_ids,
    source_ids: schedule?.source_ids ?? [],
    force: schedule?.force ?? false,
    is_enabled: schedule?.is_enabled ?? true,
  };
}

function bodyOf(state: FormState): CreateScheduleInput | UpdateScheduleInput {
  return {
    name: state.name,
    cron: state.cron,
    timezone: state.timezone,
    scope: state.scope,
    job_slug: state.scope === 'posting' ? (state.posting?.slug ?? null) : null,
    source_ids: state.allSources ? null : state.source_ids,
    force: state.force,
    is_enabled: state.is_enabled,
  };
}

type ScheduleFormProps = {
  schedule?: PublicSchedule;
  sources: PublicSource[];
  timeZones: string[];
  /** SCHEDULE_CATCH_UP: whether missed runs are caught up once instead of skipped. */
  catchUp: boolean;
  onSave: (input: CreateScheduleInput | UpdateScheduleInput) => Promise<void>;
};

export function ScheduleForm({ schedule, sources, timeZones, catchUp, onSave }: ScheduleFormProps) {
  const [state, setState] = useState<FormState>(() => initialState(schedule));
  const { pending, errors, submitValid, clearFieldError } = useFormSubmit(FIELDS, { name_taken: 'name' });
  const set = (patch: Partial<FormState>) => setState((s) => ({ ...s, ...patch }));

  // A new schedule starts in the reader's own time zone, known only in the browser.
  useEffect(() => {
    if (schedule) return;
    const local = localTimeZone();
    if (timeZones.includes(local)) setState((s) => ({ ...s, timezone: local }));
  }, [schedule, timeZones]);

  const canWrite = useCanWrite();

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    submitValid(schedule ? updateScheduleSchema : createScheduleSchema, bodyOf(state), onSave);
  }

  const described = describeCron(state.cron);

  return (
    <form method="post" onChange={clearFieldError} onSubmit={onSubmit} noValidate className="grid gap-6 lg:grid-cols-3">
      <div className="space-y-6 lg:col-span-2">
        <FormAlert message={errors.message} />

        <Card title="When">
          <TextField
            label="Name"
            name="name"
            maxLength={100}
            error={errors.fields.name}
            hint="For example “Nightly payroll sync”"
            value={state.name}
            onChange={(name) => set({ name })}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Runs">
              {(control) => (
                <select
                  {...control}
                  name="preset"
                  className="input"
                  value={state.preset}
                  onChange={(e) =>
                    set(
                      e.target.value === CUSTOM ? { preset: CUSTOM } : { preset: e.target.value, cron: e.target.value },
                    )
                  }
                >
                  {SCHEDULE_PRESETS.map((p) => (
                    <option key={p.cron} value={p.cron}>
                      {p.label}
                    </option>
                  ))}
                  <option value={CUSTOM}>Custom (cron expression)</option>
                </select>
              )}
            </Field>
            <Field
              label="Cron expression"
              error={errors.fields.cron}
              hint={
                described
                  ? `Runs ${described.charAt(0).toLowerCase()}${described.slice(1)}`
                  : 'minute hour day month weekday'
              }
            >
              {(control) => (
                <input
                  {...control}
                  name="cron"
                  className="input font-mono"
                  autoComplete="off"
                  spellCheck={false}
                  value={state.cron}
                  onChange={(e) => set({ cron: e.target.value, preset: presetOf(e.target.value.trim()) })}
                />
              )}
            </Field>
          </div>
          <Field
            label="Time zone"
            error={errors.fields.timezone}
            hint="The cron expression is read in this zone, daylight saving time included."
          >
            {(control) => (
              <select
                {...control}
                name="timezone"
                className="input"
                value={state.timezone}
                onChange={(e) => set({ timezone: e.target.value })}
              >
                {(timeZones.includes(state.timezone) ? timeZones : [state.timezone, ...timeZones]).map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </Card>

        <Card title="What to sync">
          <fieldset>
            <legend className="label">Postings</legend>
            <div className="space-y-2">
              <Choice
                type="radio"
                name="scope"
                checked={state.scope === 'all_open'}
                onChange={() => set({ scope: 'all_open' })}
                label="All open postings with hired candidates"
                hint="Decided at each run; postings opened or hired into later are included."
              />
              <Choice
                type="radio"
                name="scope"
                checked={state.scope === 'posting'}
                onChange={() => set({ scope: 'posting' })}
                label="One posting"
              />
            </div>
            {state.scope === 'posting' && (
              <div className="mt-3 pl-7">
                <PostingPicker
                  value={state.posting}
                  error={errors.fields.job_slug}
                  onChange={(posting) => set({ posting })}
                />
              </div>
            )}
          </fieldset>

          <fieldset>
            <legend className="label">Sources</legend>
            <div className="space-y-2">
              <Choice
                type="radio"
                name="sources"
                checked={state.allSources}
                onChange={() => set({ allSources: true })}
                label="All active sources"
                hint="Whichever sources are active when the schedule runs."
              />
              <Choice
                type="radio"
                name="sources"
                checked={!state.allSources}
                onChange={() => set({ allSources: false })}
                label="Chosen sources"
              />
            </div>
            {!state.allSources && (
              <div className="mt-3 space-y-2 pl-7">
                {sources.length === 0 && <p className="text-sm text-slate-500">There are no sources yet.</p>}
                {sources.map((source) => (
                  <Choice
                    key={source.id}
                    label={source.is_active ? source.name : `${source.name} (inactive)`}
                    checked={state.source_ids.includes(source.id)}
                    onChange={(checked) =>
                      set({
                        source_ids: checked
                          ? [...state.source_ids, source.id]
                          : state.source_ids.filter((id) => id !== source.id),
                      })
                    }
                  />
                ))}
                <FieldError message={errors.fields.source_ids} />
              </div>
            )}
          </fieldset>

          <Choice
            label="Resend candidates already delivered"
            hint="Normally a candidate whose data has not changed since the last successful delivery is skipped."
            checked={state.force}
            onChange={(force) => set({ force })}
          />
        </Card>

        <Card title="State">
          <Choice
            label="Enabled"
            hint="A disabled schedule keeps its settings but does not run."
            checked={state.is_enabled}
            onChange={(is_enabled) => set({ is_enabled })}
          />
        </Card>

        <div className="flex justify-end gap-2">
          <Link href="/sync-admin/schedules" className="btn-secondary">
            {canWrite ? 'Cancel' : 'Back to schedules'}
          </Link>
          <Writes>
            <button type="submit" className="btn-primary" disabled={pending}>
              {pending ? 'Saving…' : schedule ? 'Save changes' : 'Create schedule'}
            </button>
          </Writes>
        </div>
      </div>

      <aside className="lg:col-span-1">
        <div className="lg:sticky lg:top-6">
          <NextRuns cron={state.cron} timezone={state.timezone} enabled={state.is_enabled} catchUp={catchUp} />
        </div>
      </aside>
    </form>
  );
}

function Card({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="card space-y-5 p-5">
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      {children}
    </section>
  );
}

/** Finds a posting by title; the chosen one stays listed whatever the search shows. */
function PostingPicker({
  value,
  error,
  onChange,
}: {
  value: PostingChoice;
  error?: string;
  onChange: (posting: PostingChoice) => void;
}) {
  const searchId = useId();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const { jobs, isLoading } = useJobs({ q });
  const options = value && !jobs.some((j) => j.slug === value.slug) ? [{ ...value, extra: true }, ...jobs] : jobs;
  return (
    <div className="space-y-2">
      <div>
        <label htmlFor={searchId} className="sr-only">
          Find a posting
        </label>
        <input
          id={searchId}
          type="search"
          className="input"
          placeholder="Find a posting by title"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      <Field label="Posting" error={error}>
        {(control) => (
          <select
            {...control}
            name="job_slug"
            className="input"
            aria-busy={isLoading}
            value={value?.slug ?? ''}
            onChange={(e) => {
              const job = options.find((j) => j.slug === e.target.value);
              onChange(job ? { slug: job.slug, title: job.title } : null);
            }}
          >
            <option value="">Choose a posting…</option>
            {options.map((job) => (
              <option key={job.slug} value={job.slug}>
                {'counts' in job
                  ? `${job.title} — ${job.counts.hired} hired${job.status === 'closed' ? ' (closed)' : ''}`
                  : job.title}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

function fromNow(date: Date): string {
  const minutes = Math.round((date.getTime() - Date.now()) / 60_000);
  if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return relative.format(hours, 'hour');
  return relative.format(Math.round(hours / 24), 'day');
}

/** The next five runs as pg-boss will compute them, updated as the expression is typed. */
function NextRuns({
  cron,
  timezone,
  enabled,
  catchUp,
}: {
  cron: string;
  timezone: string;
  enabled: boolean;
  catchUp: boolean;
}) {
  // Debounced as one string: an object would be a new value on every render.
  const settled = useDebouncedValue(`${cron.trim()}|${timezone}`, 300);
  const [settledCron, settledZone] = settled.split('|');
  const input = settledCron ? { cron: settledCron, timezone: settledZone } : null;
  const { preview, error, isLoading } = useSchedulePreview(input);
  const problem =
    error instanceof ApiError
      ? ((error.details as { message: string }[] | undefined)?.[0]?.message ?? error.message)
      : error
        ? 'Could not compute the next runs.'
        : null;
  const inZone = new Intl.DateTimeFormat(undefined, {
    timeZone: preview?.timezone ?? 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const local = localTimeZone();
  const localTime = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
  return (
    <section className="card p-5" aria-labelledby="next-runs-title">
      <h2 id="next-runs-title" className="text-base font-semibold text-slate-900">
        Next runs
      </h2>
      <p className="mt-1 text-xs text-slate-500">
        {preview ? `In ${preview.timezone.replace(/_/g, ' ')}` : 'As the scheduler will compute them'}
      </p>
      <div aria-live="polite" className="mt-4">
        {!input ? (
          <p className="text-sm text-slate-500">Enter a cron expression to see when it runs.</p>
        ) : problem ? (
          <p className="text-sm text-red-700" role="alert">
            {problem.charAt(0).toUpperCase() + problem.slice(1)}
          </p>
        ) : !preview ? (
          <p className="text-sm text-slate-500">{isLoading ? 'Computing…' : ''}</p>
        ) : (
          <ol className="space-y-2" aria-label="Next run times" aria-busy={isLoading}>
            {preview.next_runs.map((iso) => {
              const date = new Date(iso);
              return (
                <li key={iso} className="flex items-baseline justify-between gap-3 text-sm">
                  <span>
                    <time dateTime={iso} className="font-medium tabular-nums text-slate-900">
                      {inZone.format(date)}
                    </time>
                    {preview.timezone !== local && (
                      <span className="block text-xs text-slate-500">{localTime.format(date)} your time</span>
                    )}
                  </span>
                  <span className="shrink-0 text-xs text-slate-500">{fromNow(date)}</span>
                </li>
              );
            })}
          </ol>
        )}
      </div>
      {!enabled && (
        <p className="mt-4 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-800">
          Disabled: these runs happen only once the schedule is enabled.
        </p>
      )}
      <p className="mt-4 border-t border-slate-100 pt-3 text-xs text-slate-500">
        {catchUp
          ? 'Runs missed while no worker was running are caught up once, when a worker is back.'
          : 'Runs missed while no worker was running are skipped, not caught up.'}
      </p>
    </section>
  );
}
