'use client';

import { useState } from 'react';
import { Dialog, DialogActions, FormAlert } from '@/app/components/dialog-client';
import { Field } from '@/app/components/field';
import { type FormErrors, formErrorsFromZod } from '@/lib/client/form-errors';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import {
  type CreateCandidateInput,
  createCandidateSchema,
  type PublicCandidate,
  type UpdateCandidateInput,
  updateCandidateSchema,
} from '@/lib/recruiting/schemas';
import { fullName } from '../../labels';

const FIELDS = ['first_name', 'last_name', 'email', 'phone', 'start_date'] as const;
type FieldName = (typeof FIELDS)[number];
type Values = Record<FieldName, string>;

const INPUTS: Record<FieldName, { label: string; type: string; hint?: string }> = {
  first_name: { label: 'First name', type: 'text' },
  last_name: { label: 'Last name', type: 'text' },
  email: { label: 'Email', type: 'email' },
  phone: { label: 'Phone', type: 'tel', hint: 'Optional.' },
  start_date: { label: 'Start date', type: 'date', hint: 'Optional. The first working day, sent to HR systems.' },
};

function CandidateFields({
  values,
  errors,
  onChange,
}: {
  values: Values;
  errors: Partial<Record<FieldName, string>>;
  onChange: (field: FieldName, value: string) => void;
}) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      {FIELDS.map((field) => (
        <Field key={field} label={INPUTS[field].label} error={errors[field]} hint={INPUTS[field].hint}>
          {(control) => (
            <input
              {...control}
              name={field}
              type={INPUTS[field].type}
              autoComplete="off"
              className="input"
              value={values[field]}
              onChange={(e) => onChange(field, e.target.value)}
            />
          )}
        </Field>
      ))}
    </div>
  );
}

function CandidateForm({
  initial,
  submitLabel,
  pendingLabel,
  onClose,
  onSave,
}: {
  initial: Values;
  submitLabel: string;
  pendingLabel: string;
  onClose: () => void;
  onSave: (values: Values) => { error: FormErrors<FieldName> } | { run: () => Promise<void> };
}) {
  const [values, setValues] = useState<Values>(initial);
  const { pending, errors, setErrors, submit, clearFieldError } = useFormSubmit(FIELDS, {
    duplicate_candidate: 'email',
  });

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const outcome = onSave(values);
    if ('error' in outcome) return setErrors(outcome.error);
    void submit(outcome.run);
  }

  return (
    <form method="post" onChange={clearFieldError} onSubmit={onSubmit} noValidate className="space-y-4">
      <FormAlert message={errors.message} />
      <CandidateFields
        values={values}
        errors={errors.fields}
        onChange={(field, value) => setValues((v) => ({ ...v, [field]: value }))}
      />
      <DialogActions>
        <button type="button" className="btn-secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </button>
      </DialogActions>
    </form>
  );
}

const EMPTY: Values = { first_name: '', last_name: '', email: '', phone: '', start_date: '' };

export function AddCandidateDialog({
  open,
  onClose,
  onCreate,
}: {
  open: boolean;
  onClose: () => void;
  onCreate: (input: CreateCandidateInput) => Promise<void>;
}) {
  return (
    <Dialog open={open} onClose={onClose} title="Add candidate" description="They start in the Applied stage.">
      <CandidateForm
        initial={EMPTY}
        submitLabel="Add candidate"
        pendingLabel="Adding…"
        onClose={onClose}
        onSave={(values) => {
          const parsed = createCandidateSchema.safeParse(values);
          if (!parsed.success) return { error: formErrorsFromZod(parsed.error, FIELDS) };
          return { run: () => onCreate(parsed.data) };
        }}
      />
    </Dialog>
  );
}

export function EditCandidateDialog({
  candidate,
  onClose,
  onUpdate,
}: {
  candidate: PublicCandidate | null;
  onClose: () => void;
  onUpdate: (candidate: PublicCandidate, input: UpdateCandidateInput) => Promise<void>;
}) {
  return (
    <Dialog open={!!candidate} onClose={onClose} title={candidate ? `Edit ${fullName(candidate)}` : 'Edit candidate'}>
      {candidate && (
        <CandidateForm
          initial={{ ...candidate, phone: candidate.phone ?? '', start_date: candidate.start_date ?? '' }}
          submitLabel="Save changes"
          pendingLabel="Saving…"
          onClose={onClose}
          onSave={(values) => {
            const changes = Object.fromEntries(
              FIELDS.filter((f) => values[f].trim() !== (candidate[f] ?? '')).map((f) => [f, values[f]]),
            );
            if (Object.keys(changes).length === 0) return { run: async () => onClose() };
            const parsed = updateCandidateSchema.safeParse(changes);
            if (!parsed.success) return { error: formErrorsFromZod(parsed.error, FIELDS) };
            return { run: () => onUpdate(candidate, parsed.data) };
          }}
        />
      )}
    </Dialog>
  );
}
