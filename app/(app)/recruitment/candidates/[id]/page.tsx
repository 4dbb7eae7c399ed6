import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { Badge } from '@/app/components/badge';
import { DateTime } from '@/app/components/date-time';
import { PageHeader } from '@/app/components/page-header';
import { TableHead } from '@/app/components/table-head';
import { requireUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { isAppError } from '@/lib/errors';
import { getCandidateSyncRecords } from '@/lib/sync/get-sync-state';
import { DELIVERY_ACTION_LABEL, RECORD_STATE_TEXT } from '@/lib/sync/statuses';
import type { CandidateRecordAtSource } from '@/lib/sync/sync-state-schemas';
import { STAGE_LABELS } from '../../labels';

type Props = { params: Promise<{ id: string }> };

const pathOf = (id: string) => `/recruitment/candidates/${id}`;

/** Per request, so the page and its title read it once; an unknown or malformed id is the 404 page. */
const load = cache(async (id: string) => {
  const actor = await requireUser(pathOf(id));
  try {
    return await getCandidateSyncRecords(getDb(), actor, id);
  } catch (err) {
    if (isAppError(err) && err.code === 'candidate_not_found') notFound();
    throw err;
  }
});

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { id } = await props.params;
  return { title: (await load(id)).candidate.name };
}

/** A candidate and their record in each HR system: sent, updated, withdrawn, rehired or failed, with its id there. */
export default async function CandidatePage(props: Props) {
  const { id } = await props.params;
  const { candidate, sources } = await load(id);
  return (
    <div className="space-y-6">
      <PageHeader
        title={candidate.name}
        description={
          <>
            {STAGE_LABELS[candidate.stage as keyof typeof STAGE_LABELS] ?? candidate.stage} on{' '}
            <Link
              className="text-brand-700 underline underline-offset-2 hover:text-slate-900"
              href={`/recruitment/jobs/${candidate.job_slug}`}
            >
              {candidate.job_title}
            </Link>
          </>
        }
      />
      <section aria-labelledby="records" className="card overflow-x-auto">
        <h2 id="records" className="px-4 pt-4 text-base font-semibold">
          In your HR systems
        </h2>
        <table className="table mt-2">
          <TableHead columns={['Source', 'State', 'Record', 'Last attempt', 'Error']} actions={false} />
          <tbody>
            {sources.map((s) => (
              <RecordRow key={s.source_id} record={s} />
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function RecordRow({ record: r }: { record: CandidateRecordAtSource }) {
  const text = r.state ? RECORD_STATE_TEXT[r.state] : null;
  return (
    <tr>
      <td className="whitespace-nowrap font-medium">{r.name}</td>
      <td className="whitespace-nowrap">
        {text ? (
          <span title={text.description}>
            <Badge tone={text.tone}>{text.label}</Badge>
            {r.state === 'failed' && r.last_action && (
              <span className="ml-1 text-xs text-slate-500">
                ({DELIVERY_ACTION_LABEL[r.last_action].toLowerCase()})
              </span>
            )}
          </span>
        ) : (
          <span className="text-slate-500">Not sent</span>
        )}
      </td>
      <td className="whitespace-nowrap font-mono text-xs">
        {r.external_id ? (
          r.record_url ? (
            <a
              className="text-brand-700 underline underline-offset-2 hover:text-slate-900"
              href={r.record_url}
              target="_blank"
              rel="noreferrer noopener"
            >
              {r.external_id}
              <span className="sr-only"> (opens the record in {r.name})</span>
            </a>
          ) : (
            r.external_id
          )
        ) : (
          <span className="text-slate-500">—</span>
        )}
      </td>
      <td className="whitespace-nowrap text-sm">
        {r.last_attempt_at ? <DateTime value={r.last_attempt_at} /> : <span className="text-slate-500">—</span>}
      </td>
      <td className="max-w-sm text-sm text-slate-700">
        {r.state === 'failed' ? (
          <>
            {r.error_code && <code className="mr-1 font-mono text-xs text-red-700">{r.error_code}</code>}
            {r.last_error}
          </>
        ) : (
          <span className="text-slate-500">—</span>
        )}
      </td>
    </tr>
  );
}
