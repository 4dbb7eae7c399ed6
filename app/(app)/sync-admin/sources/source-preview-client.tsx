'use client';

import { useId } from 'react';
import { CodeBlock } from '@/app/components/code-block';
import type { PreviewSourceInput, SourcePreview } from '@/lib/sources/schemas';
import { useSourcePreview } from '@/lib/swr/use-source-preview';

/**
 * The live preview on the source form (issue 20, item 6): one real hire rendered into the create
 * request the target would get, as the engine builds it, credentials masked by the server.
 */
export function SourcePreviewPanel({
  body,
  candidateId,
  onCandidate,
  labelOf,
}: {
  body: PreviewSourceInput;
  candidateId: string | null;
  onCandidate: (id: string) => void;
  /** The form's label for a path the preview names (`auth.password` -> "API key"), when it has one. */
  labelOf?: (path: string) => string | null;
}) {
  const { preview, error, updating } = useSourcePreview(body);
  const id = useId();
  const status = statusText(preview, error, updating);
  return (
    <div className="space-y-4" data-testid="source-preview">
      <div className="flex flex-wrap items-end justify-between gap-3">
        {preview && preview.candidates.length > 0 ? (
          <div className="min-w-0 flex-1">
            <label htmlFor={`${id}-candidate`} className="label">
              Candidate
            </label>
            <select
              id={`${id}-candidate`}
              className="input"
              value={candidateId ?? preview.candidate?.id ?? ''}
              onChange={(e) => onCandidate(e.target.value)}
            >
              {preview.candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} · {c.posting}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <p role="status" aria-live="polite" className="text-sm text-slate-600">
        {status}
      </p>
      {error && preview && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Preview paused: {error.message}. Showing the last preview.
        </p>
      )}
      {preview?.request && <RequestView request={preview.request} />}
      {preview && preview.missing_required.length > 0 && (
        <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <p className="font-medium">Required fields still missing for this candidate (it would not be sent):</p>
          <ul className="mt-1 list-disc pl-5" aria-label="Missing required fields">
            {preview.missing_required.map((m) => (
              <li key={m.field}>
                {m.label} (<code className="font-mono">{m.field}</code>)
                {m.from ? ` — ${m.from} is empty` : ' — not mapped'}
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview && preview.problems.filter((p) => p.path !== 'candidate').length > 0 && (
        <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          <p className="font-medium">Before this source can send:</p>
          <ul className="mt-1 list-disc pl-5">
            {preview.problems
              .filter((p) => p.path !== 'candidate')
              .map((p) => (
                <li key={`${p.path}:${p.message}`}>
                  {labelOf?.(p.path) ? `${labelOf(p.path)} ` : ''}(<code className="font-mono">{p.path}</code>):{' '}
                  {p.message}
                </li>
              ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function statusText(preview: SourcePreview | undefined, error: Error | undefined, updating: boolean): string {
  if (!preview) return error ? `No preview: ${error.message}` : 'Loading the preview…';
  if (preview.notice) return preview.notice;
  if (updating) return 'Updating the preview…';
  const who = preview.candidate ? `${preview.candidate.name} (${preview.candidate.posting})` : 'the candidate';
  return preview.request
    ? `The request this source would send to create ${who}. Nothing is sent from here.`
    : `No request yet for ${who}: see what is missing below.`;
}

function RequestView({ request }: { request: NonNullable<SourcePreview['request']> }) {
  return (
    <div className="space-y-2">
      <CodeBlock label="Request line and headers" className="p-3">
        <span className="font-semibold">
          {request.method} {request.url}
        </span>
        {'\n'}
        {Object.entries(request.headers).map(([name, value]) => (
          <span key={name} data-header={name}>
            {name}: {value}
            {'\n'}
          </span>
        ))}
      </CodeBlock>
      <div data-testid="preview-body">
        <CodeBlock label="Request body" className="max-h-96 p-3">
          {request.body || '(no body)'}
        </CodeBlock>
      </div>
    </div>
  );
}
