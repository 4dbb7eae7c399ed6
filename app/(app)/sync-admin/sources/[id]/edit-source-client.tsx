'use client';

import { useState } from 'react';
import { Badge } from '@/app/components/badge';
import { DateTime } from '@/app/components/date-time';
import { Notice } from '@/app/components/notice';
import { useCanWrite, Writes } from '@/app/components/write-access-client';
import { ApiError } from '@/lib/client/api-fetch';
import type { PublicSource, UpdateSourceInput } from '@/lib/sources/schemas';
import { useSource } from '@/lib/swr/use-sources';
import { endpointUrl, envelopeApplies, healthOf } from '../labels';
import type { ConnectorChoice } from '@/lib/sync/connectors/catalog';
import { SourceForm } from '../source-form-client';
import { SourcePageHeader } from '../source-page-header';
import { isHeld, PauseSourceDialog, PauseState } from '../pause-source-client';
import { TestOutcome, type TestState } from '../sources-client';

export function EditSourceClient({
  initialSource,
  connectors,
  added,
}: {
  initialSource: PublicSource;
  connectors: ConnectorChoice[];
  added: boolean;
}) {
  const { source, updateSource, testSource, setPaused } = useSource(initialSource.id, initialSource);
  const [pausing, setPausing] = useState(false);
  const canWrite = useCanWrite();
  const [notice, setNotice] = useState<string | null>(
    added ? `${initialSource.name} was added. Test the connection to check that it answers.` : null,
  );
  const [test, setTest] = useState<TestState | null>(null);
  const health = healthOf(source.health.status);
  const choice = connectors.find((c) => c.id === source.connector);
  const testHint = envelopeApplies(choice)
    ? 'Sends a signed ping with the saved settings.'
    : `Reads ${choice?.name ?? 'the system'}'s API with the saved credentials; nothing is changed there.`;

  async function onSave(input: UpdateSourceInput) {
    const saved = await updateSource(input);
    setNotice(
      saved.credentials_cleared
        ? `Saved changes to ${saved.name}. Its credentials belonged to the old address and were removed: enter them again.`
        : input.auth && saved.pause?.kind === 'auth_failed'
          ? `Saved changes to ${saved.name}. It is still paused for refused credentials: test the connection to resume it.`
          : `Saved changes to ${saved.name}.`,
    );
    window.scrollTo({ top: 0, behavior: 'smooth' });
  }

  async function runTest() {
    setNotice(null);
    setTest({ pending: true });
    try {
      setTest({ pending: false, result: await testSource() });
    } catch (err) {
      setTest({ pending: false, error: err instanceof ApiError ? err.message : 'Could not reach the server.' });
    }
  }

  return (
    <div className="space-y-8">
      <SourcePageHeader
        title={source.name}
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <Badge tone={health.tone}>{health.label}</Badge>
            <Badge tone={source.is_active ? 'green' : 'gray'}>{source.is_active ? 'Active' : 'Inactive'}</Badge>
            <span className="font-mono text-xs">{endpointUrl(source)}</span>
            {source.health.checked_at && (
              <span className="text-xs text-slate-500">
                Last checked <DateTime value={source.health.checked_at} />
              </span>
            )}
          </span>
        }
      >
        <Writes>
          <div className="flex flex-col items-end gap-1">
            <div className="flex gap-2">
              <button type="button" className="btn-secondary" onClick={() => setPausing(true)}>
                {isHeld(source) ? 'Resume' : 'Pause'}
              </button>
              <button type="button" className="btn-secondary" disabled={test?.pending} onClick={() => void runTest()}>
                {test?.pending ? 'Testing…' : 'Test connection'}
              </button>
            </div>
            <p className="text-xs text-slate-500">{testHint}</p>
          </div>
        </Writes>
      </SourcePageHeader>
      <PauseState source={source} className="text-sm" />
      <PauseSourceDialog
        source={pausing ? source : null}
        onClose={() => setPausing(false)}
        onPause={async (s, reason) => {
          await setPaused(true, reason);
          setPausing(false);
          setNotice(`${s.name} is paused: its deliveries wait until you resume it.`);
        }}
        onResume={async (s) => {
          await setPaused(false);
          setPausing(false);
          setNotice(`${s.name} is resumed: waiting deliveries are being sent.`);
        }}
      />

      <div role="status" aria-live="polite">
        {test && !test.pending && (
          <div
            className={`rounded-md border px-3 py-2 text-sm ${
              'result' in test && test.result.ok ? 'border-emerald-200 bg-emerald-50' : 'border-red-200 bg-red-50'
            }`}
          >
            <TestOutcome test={test} />
          </div>
        )}
      </div>
      <Notice message={notice} />

      {/* A viewer reads the source in the same form, every field read only (secrets are never sent back). */}
      <fieldset disabled={!canWrite} className="contents">
        <SourceForm
          key={source.updated_at}
          source={source}
          connectors={connectors}
          onSave={(input) => onSave(input as UpdateSourceInput)}
        />
      </fieldset>
    </div>
  );
}
