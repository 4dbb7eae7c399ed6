'use client';

import { useState } from 'react';
import { Dialog, FormActions, FormAlert } from '@/app/components/dialog-client';
import { Field, type FieldControlProps, TextField } from '@/app/components/field';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import {
  type CreateUserInput,
  type PublicUser,
  type UpdateUserInput,
  createUserSchema,
  updateUserSchema,
} from '@/lib/users/schemas';

type Role = PublicUser['role'];

const ROLE_HINT =
  'Recruiters work with postings, candidates and syncs. Admins can also manage users and sync administration. Viewers (auditors) see everything an admin sees and change nothing.';

function RoleSelect({
  control,
  value,
  disabled = false,
  onChange,
}: {
  control: FieldControlProps;
  value: Role;
  disabled?: boolean;
  onChange: (r: Role) => void;
}) {
  return (
    <select
      {...control}
      name="role"
      className="input"
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value as Role)}
    >
      <option value="recruiter">Recruiter</option>
      <option value="viewer">Viewer (read only)</option>
      <option value="admin">Admin</option>
    </select>
  );
}

function PasswordInput({
  control,
  value,
  onChange,
}: {
  control: FieldControlProps;
  value: string;
  onChange: (v: string) => void;
}) {
  const [visible, setVisible] = useState(false);
  return (
    <div className="flex gap-2">
      <input
        {...control}
        name="password"
        type={visible ? 'text' : 'password'}
        autoComplete="new-password"
        className="input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <button
        type="button"
        className="btn-secondary shrink-0"
        aria-pressed={visible}
        aria-controls={control.id}
        onClick={() => setVisible((v) => !v)}
      >
        {visible ? 'Hide' : 'Show'}
      </button>
    </div>
  );
}

const CREATE_FIELDS = ['email', 'name', 'role', 'password'] as const;

type CreateProps = { onClose: () => void; onCreate: (input: CreateUserInput) => Promise<void> };

export function CreateUserDialog({ open, ...props }: CreateProps & { open: boolean }) {
  return (
    <Dialog
      open={open}
      onClose={props.onClose}
      title="Add user"
      description="They sign in with this email and password."
    >
      <CreateUserForm {...props} />
    </Dialog>
  );
}

function CreateUserForm({ onClose, onCreate }: CreateProps) {
  const [values, setValues] = useState({ email: '', name: '', role: 'recruiter' as Role, password: '' });
  const { pending, errors, submitValid, clearFieldError } = useFormSubmit(CREATE_FIELDS, { email_taken: 'email' });
  const set = (patch: Partial<typeof values>) => setValues((v) => ({ ...v, ...patch }));

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    submitValid(createUserSchema, values, onCreate);
  }

  return (
    <form method="post" onChange={clearFieldError} onSubmit={onSubmit} noValidate className="space-y-4">
      <FormAlert message={errors.message} />
      <TextField
        label="Email"
        name="email"
        type="email"
        error={errors.fields.email}
        value={values.email}
        onChange={(email) => set({ email })}
      />
      <TextField
        label="Name"
        name="name"
        error={errors.fields.name}
        value={values.name}
        onChange={(name) => set({ name })}
      />
      <Field label="Role" error={errors.fields.role} hint={ROLE_HINT}>
        {(control) => <RoleSelect control={control} value={values.role} onChange={(role) => set({ role })} />}
      </Field>
      <Field
        label="Password"
        error={errors.fields.password}
        hint="At least 8 characters. Share it with them over a secure channel."
      >
        {(control) => (
          <PasswordInput control={control} value={values.password} onChange={(password) => set({ password })} />
        )}
      </Field>
      <FormActions onCancel={onClose} pending={pending} label="Add user" pendingLabel="Adding…" />
    </form>
  );
}

type UpdateHandler = (user: PublicUser, input: UpdateUserInput) => Promise<void>;

type UserDialogProps = { user: PublicUser | null; isSelf: boolean; onClose: () => void; onUpdate: UpdateHandler };

const EDIT_FIELDS = ['name', 'role'] as const;

export const SOLE_ADMIN_HINT =
  'You are the only active admin, so your role stays Admin: make someone else an admin first. Without an admin, nobody could manage users.';

/** An SSO user's role follows the identity provider when a role claim is set: a change here does not last. */
function roleHint(user: PublicUser, soleAdmin: boolean, roleClaim: string | null | undefined): string {
  if (soleAdmin) return SOLE_ADMIN_HINT;
  if (user.sso_linked && roleClaim)
    return `${user.name} signs in with single sign-on, which sets the role from the identity provider’s “${roleClaim}” claim at every sign-in: a change here lasts until their next sign-in. Change their group there.`;
  return ROLE_HINT;
}

type EditProps = UserDialogProps & {
  /** The user is the last active admin: the API refuses to demote them, so the role is not offered. */
  soleAdmin: boolean;
  /** The claim SSO users' roles come from at every sign-in, when single sign-on manages roles. */
  roleClaim?: string | null;
};

export function EditUserDialog({ user, isSelf, soleAdmin, roleClaim, onClose, onUpdate }: EditProps) {
  return (
    <Dialog open={!!user} onClose={onClose} title={user ? `Edit ${user.name}` : 'Edit user'} description={user?.email}>
      {user && (
        <EditUserForm
          user={user}
          isSelf={isSelf}
          soleAdmin={soleAdmin}
          roleClaim={roleClaim}
          onClose={onClose}
          onUpdate={onUpdate}
        />
      )}
    </Dialog>
  );
}

function EditUserForm({ user, isSelf, soleAdmin, roleClaim, onClose, onUpdate }: EditProps & { user: PublicUser }) {
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const { pending, errors, submitValid, clearFieldError } = useFormSubmit(EDIT_FIELDS);
  const roleChanges = role !== user.role;

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const changes: UpdateUserInput = {};
    if (name.trim() !== user.name) changes.name = name;
    if (roleChanges) changes.role = role;
    if (Object.keys(changes).length === 0) return onClose();
    submitValid(updateUserSchema, changes, (input) => onUpdate(user, input));
  }

  return (
    <form method="post" onChange={clearFieldError} onSubmit={onSubmit} noValidate className="space-y-4">
      <FormAlert message={errors.message} />
      <TextField label="Name" name="name" error={errors.fields.name} value={name} onChange={setName} />
      <Field label="Role" error={errors.fields.role} hint={roleHint(user, soleAdmin, roleClaim)}>
        {(control) => <RoleSelect control={control} value={role} disabled={soleAdmin} onChange={setRole} />}
      </Field>
      {roleChanges && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
          {isSelf
            ? 'Changing your own role signs you out. Sign in again to continue.'
            : `Changing the role signs ${user.name} out of every session.`}
        </p>
      )}
      <FormActions onCancel={onClose} pending={pending} label="Save changes" pendingLabel="Saving…" />
    </form>
  );
}

const PASSWORD_FIELDS = ['password'] as const;

export function ResetPasswordDialog({ user, isSelf, onClose, onUpdate }: UserDialogProps) {
  return (
    <Dialog
      open={!!user}
      onClose={onClose}
      title={user ? `Reset password for ${user.name}` : 'Reset password'}
      description={
        isSelf
          ? 'You will be signed out and need the new password to sign in again. All your API tokens are revoked.'
          : 'They are signed out of every session and sign in again with the new password. All their API tokens are revoked.'
      }
    >
      {user && <ResetPasswordForm user={user} isSelf={isSelf} onClose={onClose} onUpdate={onUpdate} />}
    </Dialog>
  );
}

function ResetPasswordForm({ user, onClose, onUpdate }: UserDialogProps & { user: PublicUser }) {
  const [password, setPassword] = useState('');
  const { pending, errors, submitValid, clearFieldError } = useFormSubmit(PASSWORD_FIELDS);

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    submitValid(updateUserSchema, { password }, (input) => onUpdate(user, input));
  }

  return (
    <form method="post" onChange={clearFieldError} onSubmit={onSubmit} noValidate className="space-y-4">
      <FormAlert message={errors.message} />
      <Field label="New password" error={errors.fields.password} hint="At least 8 characters.">
        {(control) => <PasswordInput control={control} value={password} onChange={setPassword} />}
      </Field>
      <FormActions onCancel={onClose} pending={pending} label="Reset password" pendingLabel="Resetting…" />
    </form>
  );
}

export function UserStatusDialog({ user, isSelf, onClose, onUpdate }: UserDialogProps) {
  const deactivating = user?.is_active ?? true;
  const title = user ? `${deactivating ? 'Deactivate' : 'Reactivate'} ${user.name}?` : '';
  let description: string;
  if (deactivating) {
    description = isSelf
      ? 'You will be signed out at once and your API tokens stop working. Another admin can reactivate you.'
      : 'They are signed out at once and their API tokens stop working. Nothing is deleted; you can reactivate them later.';
  } else {
    description =
      'They can sign in again with their current password, and their API tokens that were not revoked work again.';
  }
  return (
    <Dialog open={!!user} onClose={onClose} title={title} description={description}>
      {user && <UserStatusForm user={user} isSelf={isSelf} onClose={onClose} onUpdate={onUpdate} />}
    </Dialog>
  );
}

function UserStatusForm({ user, onClose, onUpdate }: UserDialogProps & { user: PublicUser }) {
  const { pending, errors, submit } = useFormSubmit([]);
  const deactivating = user.is_active;
  const labels = deactivating
    ? { idle: 'Deactivate', pending: 'Deactivating…' }
    : { idle: 'Reactivate', pending: 'Reactivating…' };

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    void submit(() => onUpdate(user, { is_active: !deactivating }));
  }

  return (
    <form method="post" onSubmit={onSubmit}>
      <FormAlert message={errors.message} />
      <FormActions
        onCancel={onClose}
        pending={pending}
        label={labels.idle}
        pendingLabel={labels.pending}
        tone={deactivating ? 'danger' : 'primary'}
      />
    </form>
  );
}
