'use client';

import { useState } from 'react';
import { Dialog, DialogActions, FormAlert } from '@/app/components/dialog-client';
import { Field } from '@/app/components/field';
import { formErrorsFromZod } from '@/lib/client/form-errors';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import { type CreateJobInput, createJobSchema, EMPLOYMENT_TYPES } from '@/lib/recruiting/schemas';
import { EMPLOYMENT_TYPE_LABELS } from '../labels';

const FIELDS = ['title', 'department', 'location', 'employment_type', 'slug'] as const;
const TEXT_FIELDS = ['title', 'department', 'location', 'slug'] as const;
type Values = Record<(typeof FIELDS)[number], string>;

const LABELS: Record<keyof Values, string> = {
  title: 'Title',
  department: 'Department',
  location: 'Location',
  employment_type: 'Employment type',
  slug: 'URL slug',
};

const HINTS: Partial<Record<keyof Values, string>> = {
  slug: 'Optional. Left empty, it is made from the title (Senior Engineer becomes senior-engineer).',
};

export function CreateJobDialog({
  open,
  onClose,
  onCreate,
}: {
  open: boolean;
  onClose: () => void;
  onCreate: (input: CreateJobInput) => Promise<void>;
}) {
  return (
    <Dialog open={open} onClose={onClose} title="New job posting" description="Candidates can be added once it exists.">
      <CreateJobForm onClose={onClose} onCreate={onCreate} />
    </Dialog>
  );
}

function CreateJobForm({
  onClose,
  onCreate,
}: {
  onClose: () => void;
  onCreate: (input: CreateJobInput) => Promise<void>;
}) {
  const [values, setValues] = useState<Values>({
    title: '',
    department: '',
    location: '',
    employment_type: '',
    slug: '',
  });
  const { pending, errors, setErrors, submit, clearFieldError } = useFormSubmit(FIELDS, { slug_taken: 'slug' });

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = createJobSchema.safeParse({ ...values, slug: values.slug.trim() || undefined });
    if (!parsed.success) return setErrors(formErrorsFromZod(parsed.error, FIELDS));
    void submit(() => onCreate(parsed.data));
  }

  return (
    <form method="post" onChange={clearFieldError} onSubmit={onSubmit} noValidate className="space-y-4">
      <FormAlert message={errors.message} />
      {TEXT_FIELDS.filter((f) => f !== 'slug').map((field) => (
        <Field key={field} label={LABELS[field]} error={errors.fields[field]} hint={HINTS[field]}>
          {(control) => (
            <input
              {...control}
              name={field}
              autoComplete="off"
              className="input"
              value={values[field]}
              onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.value }))}
            />
          )}
        </Field>
      ))}
      <Field label={LABELS.employment_type} error={errors.fields.employment_type} hint="Optional. Sent to HR systems.">
        {(control) => (
          <select
            {...control}
            name="employment_type"
            className="input"
            value={values.employment_type}
            onChange={(e) => setValues((v) => ({ ...v, employment_type: e.target.value }))}
          >
            <option value="">Not set</option>
            {EMPLOYMENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {EMPLOYMENT_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {(['slug'] as const).map((field) => (
        <Field key={field} label={LABELS[field]} error={errors.fields[field]} hint={HINTS[field]}>
          {(control) => (
            <input
              {...control}
              name={field}
              autoComplete="off"
              className="input"
              value={values[field]}
              onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.value }))}
            />
          )}
        </Field>
      ))}
      <DialogActions>
        <button type="button" className="btn-secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create posting'}
        </button>
      </DialogActions>
    </form>
  );
}
