'use client';

import { useState } from 'react';
import { Dialog, DialogActions, FormAlert } from '@/app/components/dialog-client';
import { Field } from '@/app/components/field';
import { ApiError } from '@/lib/client/api-fetch';
import type { ImportResult, RowError } from '@/lib/recruiting/schemas';

// The API refuses bodies over 1 MB; the CSV travels inside a JSON string, so leave some room.
const MAX_FILE_BYTES = 900 * 1024;

type Failure =
  | { fileError: string }
  // `skippable`: some rows are good, so importing the rest is a real choice.
  | { rowErrors: RowError[]; skippable: boolean; message: string }
  | { message: string };

function toFailure(err: unknown): Failure {
  if (!(err instanceof ApiError))
    return { message: 'Could not reach the server. Check your connection and try again.' };
  const details = Array.isArray(err.details) ? (err.details as Record<string, unknown>[]) : [];
  const rowsOnly = details.length > 0 && details.every((d) => typeof d.row === 'number');
  if ((err.code === 'validation_failed' || err.code === 'no_valid_rows') && rowsOnly) {
    return { rowErrors: details as RowError[], skippable: err.code === 'validation_failed', message: err.message };
  }
  const fieldIssue = details.find((d) => d.path === 'csv');
  if (fieldIssue) return { fileError: `Not a usable candidates file: ${fieldIssue.message}` };
  return { message: err.message };
}

export function ImportDialog({
  open,
  onClose,
  onImport,
}: {
  open: boolean;
  onClose: () => void;
  onImport: (input: { csv: string; skip_invalid?: boolean }) => Promise<ImportResult>;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Import candidates from CSV"
      description={
        <>
          The first row names the columns:{' '}
          <code className="text-slate-800">first_name,last_name,email,phone,stage</code>, optionally{' '}
          <code className="text-slate-800">start_date</code> (YYYY-MM-DD). Phone, stage and start date may be empty; the
          stage defaults to Applied. A cell may not start with =, +, -, @ or a tab, which a spreadsheet would run as a
          formula; only a phone number may start with +.
        </>
      }
    >
      <ImportForm onClose={onClose} onImport={onImport} />
    </Dialog>
  );
}

function ImportForm({
  onClose,
  onImport,
}: {
  onClose: () => void;
  onImport: (input: { csv: string; skip_invalid?: boolean }) => Promise<ImportResult>;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [pending, setPending] = useState(false);

  async function run(skipInvalid: boolean) {
    if (!file) return setFailure({ fileError: 'Choose a CSV file to import.' });
    if (file.size > MAX_FILE_BYTES) {
      return setFailure({ fileError: 'The file is larger than 900 KB. Split it and import the parts one by one.' });
    }
    setPending(true);
    setFailure(null);
    try {
      const text = csv ?? (await file.text());
      setCsv(text);
      await onImport({ csv: text, skip_invalid: skipInvalid || undefined });
    } catch (err) {
      setFailure(toFailure(err));
    } finally {
      setPending(false);
    }
  }

  const fileError = failure && 'fileError' in failure ? failure.fileError : undefined;
  const rowErrors = failure && 'rowErrors' in failure ? failure.rowErrors : null;
  const skippable = !!failure && 'skippable' in failure && failure.skippable;

  return (
    <form
      method="post"
      noValidate
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        void run(false);
      }}
    >
      <FormAlert message={failure && 'message' in failure && !rowErrors ? failure.message : null} />
      <Field
        label="CSV file"
        error={fileError}
        hint="Up to 10,000 candidates; nothing is imported while a row has errors."
      >
        {(control) => (
          <input
            {...control}
            name="file"
            type="file"
            accept=".csv,text/csv"
            className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-200"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setCsv(null);
              setFailure(null);
            }}
          />
        )}
      </Field>

      {rowErrors && (
        <section aria-labelledby="import-row-errors" className="rounded-md border border-red-200 bg-red-50/50">
          <h3 id="import-row-errors" className="px-3 pt-2.5 text-sm font-semibold text-red-800">
            {skippable
              ? `${rowErrors.length === 1 ? '1 row has an error' : `${rowErrors.length} rows have errors`}; nothing was imported`
              : `${rowErrors.length === 1 ? 'The only row has an error' : `All ${rowErrors.length} rows have errors`}; nothing can be imported`}
          </h3>
          <div className="max-h-56 overflow-y-auto">
            {/* Fixed layout and wrapping anywhere: a long email or value must not push the message out of sight. */}
            <table className="table w-full table-fixed">
              <caption className="sr-only">Rows with errors</caption>
              <thead>
                <tr>
                  <th scope="col" className="w-16">
                    Row
                  </th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-red-100">
                {rowErrors.map((e) => (
                  <tr key={e.row}>
                    <td className="tabular-nums text-slate-700">{e.row}</td>
                    <td className="whitespace-normal text-red-800 wrap-anywhere">{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="border-t border-red-100 px-3 py-2 text-sm text-slate-700">
            {skippable
              ? `Fix the file and import it again, or skip the bad ${rowErrors.length === 1 ? 'row' : 'rows'} and import the others.`
              : 'No row of this file can be imported as it is. Fix the rows listed and import the file again.'}
          </p>
        </section>
      )}

      <DialogActions>
        <button type="button" className="btn-secondary" onClick={onClose}>
          Cancel
        </button>
        {rowErrors && skippable ? (
          <button type="button" className="btn-primary" disabled={pending} onClick={() => run(true)}>
            {pending
              ? 'Importing…'
              : `Skip ${rowErrors.length} bad ${rowErrors.length === 1 ? 'row' : 'rows'} and import the rest`}
          </button>
        ) : (
          <button type="submit" className="btn-primary" disabled={pending}>
            {pending ? 'Importing…' : 'Import'}
          </button>
        )}
      </DialogActions>
    </form>
  );
}
