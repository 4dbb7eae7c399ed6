'use client';

import { useState } from 'react';
import { Badge } from '@/app/components/badge';
import { DateTime } from '@/app/components/date-time';
import { LoadError, Notice } from '@/app/components/notice';
import { RowAction } from '@/app/components/row-action';
import { Writes } from '@/app/components/write-access-client';
import { TableHead } from '@/app/components/table-head';
import { useUsers } from '@/lib/swr/use-users';
import type { CreateUserInput, PublicUser, UpdatedUser, UpdateUserInput } from '@/lib/users/schemas';
import {
  CreateUserDialog,
  EditUserDialog,
  ResetPasswordDialog,
  SOLE_ADMIN_HINT,
  UserStatusDialog,
} from './user-dialogs-client';
import { UserTokensDialog } from './user-tokens-client';
import { PageHeader } from '@/app/components/page-header';

type OpenDialog = { kind: 'create' } | { kind: 'edit' | 'password' | 'status' | 'tokens'; user: PublicUser } | null;

function successMessage(user: UpdatedUser, input: UpdateUserInput): string {
  if (input.is_active === false) return `${user.name} was deactivated and signed out.`;
  if (input.is_active === true) return `${user.name} was reactivated.`;
  if (input.password) {
    const n = user.tokens_revoked ?? 0;
    return `The password of ${user.name} was reset; ${n} API ${n === 1 ? 'token was' : 'tokens were'} revoked.`;
  }
  return `Saved changes to ${user.name}.`;
}

const ROLE_LABELS: Record<PublicUser['role'], string> = { admin: 'Admin', recruiter: 'Recruiter', viewer: 'Viewer' };

/** How a user can sign in: an SSO user's role may follow the identity provider, so admins need to see it. */
function signInMethods(user: PublicUser): string {
  if (user.sso_linked && user.password_set) return 'SSO and password';
  if (user.sso_linked) return 'SSO';
  if (user.password_set) return 'Password';
  return 'Nothing yet: set a password';
}

export function UsersClient({
  initialUsers,
  currentUserId,
  roleClaim = null,
}: {
  initialUsers: PublicUser[];
  currentUserId: string;
  /** Set when single sign-on gives SSO users their role from this claim at every sign-in. */
  roleClaim?: string | null;
}) {
  const { users, error, reload, createUser, updateUser } = useUsers(initialUsers);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const open = (next: OpenDialog) => {
    setNotice(null);
    setDialog(next);
  };
  const close = () => setDialog(null);
  const userFor = (kind: 'edit' | 'password' | 'status' | 'tokens') => (dialog?.kind === kind ? dialog.user : null);
  const editing = userFor('edit');
  const isSelf = dialog !== null && dialog.kind !== 'create' && dialog.user.id === currentUserId;

  async function onCreate(input: CreateUserInput) {
    const user = await createUser(input);
    setDialog(null);
    setNotice(`${user.name} (${user.email}) was added.`);
  }

  async function onUpdate(user: PublicUser, input: UpdateUserInput) {
    const updated = await updateUser(user.id, input);
    setDialog(null);
    setNotice(successMessage(updated, input));
  }

  const activeCount = users.filter((u) => u.is_active).length;
  // The API refuses to deactivate or demote the last active admin; such a click is not offered.
  const activeAdmins = users.filter((u) => u.is_active && u.role === 'admin').length;
  const isSoleAdmin = (user: PublicUser) => user.is_active && user.role === 'admin' && activeAdmins <= 1;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Users"
        description={
          <>
            People who can sign in to ATS Sync · {activeCount} active of {users.length}
          </>
        }
      >
        <Writes>
          <button type="button" className="btn-primary" onClick={() => open({ kind: 'create' })}>
            Add user
          </button>
        </Writes>
      </PageHeader>

      <Notice message={notice} />
      {error && <LoadError what="users" error={error} onRetry={reload} />}

      <div className="card overflow-x-auto">
        <table className="table">
          <caption className="sr-only">Users</caption>
          <TableHead columns={['Name', 'Email', 'Role', 'Status', 'Signs in with', 'Last sign-in']} />
          <tbody className="divide-y divide-slate-100">
            {users.map((user) => {
              const self = user.id === currentUserId;
              return (
                <tr key={user.id} className={user.is_active ? undefined : 'bg-slate-50/60 text-slate-500'}>
                  <td className="font-medium text-slate-900">
                    {user.name}
                    {self && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
                  </td>
                  <td className="break-all">{user.email}</td>
                  <td>
                    <Badge tone={user.role === 'admin' ? 'brand' : 'gray'}>{ROLE_LABELS[user.role]}</Badge>
                  </td>
                  <td>
                    <Badge tone={user.is_active ? 'green' : 'gray'}>{user.is_active ? 'Active' : 'Deactivated'}</Badge>
                  </td>
                  <td className="whitespace-nowrap">{signInMethods(user)}</td>
                  <td className="whitespace-nowrap">
                    <DateTime value={user.last_sign_in_at} empty="Never" />
                  </td>
                  <td>
                    <div className="flex justify-end gap-1 whitespace-nowrap">
                      <Writes>
                        <RowAction label="Edit" subject={user.name} onClick={() => open({ kind: 'edit', user })} />
                      </Writes>
                      <RowAction label="Tokens" subject={user.name} onClick={() => open({ kind: 'tokens', user })} />
                      <Writes>
                        <RowAction
                          label="Reset password"
                          subject={user.name}
                          onClick={() => open({ kind: 'password', user })}
                        />
                        {isSoleAdmin(user) ? (
                          <span className="px-2.5 py-1.5 text-sm text-slate-600" title={SOLE_ADMIN_HINT}>
                            Only active admin
                          </span>
                        ) : (
                          <RowAction
                            label={user.is_active ? 'Deactivate' : 'Reactivate'}
                            subject={user.name}
                            danger={user.is_active}
                            onClick={() => open({ kind: 'status', user })}
                          />
                        )}
                      </Writes>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <CreateUserDialog open={dialog?.kind === 'create'} onClose={close} onCreate={onCreate} />
      <EditUserDialog
        user={editing}
        isSelf={isSelf}
        soleAdmin={!!editing && isSoleAdmin(editing)}
        roleClaim={roleClaim}
        onClose={close}
        onUpdate={onUpdate}
      />
      <ResetPasswordDialog user={userFor('password')} isSelf={isSelf} onClose={close} onUpdate={onUpdate} />
      <UserStatusDialog user={userFor('status')} isSelf={isSelf} onClose={close} onUpdate={onUpdate} />
      <UserTokensDialog user={userFor('tokens')} onClose={close} />
    </div>
  );
}
