'use client';

import { useEffect, useRef, useState } from 'react';
import { Dialog, DialogActions, FormActions, FormAlert } from '@/app/components/dialog-client';
import { DateTime } from '@/app/components/date-time';
import { LoadError, Notice } from '@/app/components/notice';
import { RowAction } from '@/app/components/row-action';
import { Writes } from '@/app/components/write-access-client';
import { ExpiryWarning, TokenScopes } from '@/app/components/token-scopes';
import { TokenStatusBadge } from '@/app/components/token-status-badge';
import { useFormSubmit } from '@/lib/client/use-form-submit';
import { useUserTokens } from '@/lib/swr/use-tokens';
import type { PublicToken } from '@/lib/tokens/schemas';
import type { PublicUser } from '@/lib/users/schemas';

type Props = { user: PublicUser | null; onClose: () => void };

/** An admin looks at another user's API tokens and revokes one, e.g. a token that leaked. */
export function UserTokensDialog({ user, onClose }: Props) {
  return (
    <Dialog
      open={!!user}
      onClose={onClose}
      size="lg"
      title={user ? `API tokens of ${user.name}` : 'API tokens'}
      description="Tokens act as this user, limited to their scopes and never beyond the user's role. Revoke one that leaked or is no longer used: anything that sends it loses access at once."
    >
      {user && <UserTokens user={user} onClose={onClose} />}
    </Dialog>
  );
}

function UserTokens({ user, onClose }: { user: PublicUser; onClose: () => void }) {
  const { tokens, error, reload, revokeToken } = useUserTokens(user.id);
  const [confirming, setConfirming] = useState<PublicToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [backFromConfirm, setBackFromConfirm] = useState(false);
  const leaveConfirm = () => {
    setBackFromConfirm(true);
    setConfirming(null);
  };

  if (confirming) {
    return (
      <ConfirmRevoke
        token={confirming}
        owner={user}
        onCancel={leaveConfirm}
        onRevoke={async () => {
          await revokeToken(confirming.id);
          leaveConfirm();
          setNotice(`Token “${confirming.name}” was revoked.`);
        }}
      />
    );
  }

  return (
    <FocusOnMount active={backFromConfirm}>
      <div className="space-y-4">
        <Notice message={notice} />
        {error && <LoadError what="tokens" error={error} onRetry={reload} />}
        {tokens === undefined ? (
          !error && <p className="text-sm text-slate-600">Loading tokens…</p>
        ) : tokens.length === 0 ? (
          <p className="text-sm text-slate-600">{user.name} has no API tokens.</p>
        ) : (
          <TokenList
            tokens={tokens}
            owner={user}
            onRevoke={(token) => {
              setNotice(null);
              setConfirming(token);
            }}
          />
        )}
        <DialogActions>
          <button type="button" className="btn-secondary" onClick={onClose} data-autofocus>
            Close
          </button>
        </DialogActions>
      </div>
    </FocusOnMount>
  );
}

/** A list, not the table of /settings/tokens: six columns of dates do not fit in a dialog. */
function TokenList({
  tokens,
  owner,
  onRevoke,
}: {
  tokens: PublicToken[];
  owner: PublicUser;
  onRevoke: (token: PublicToken) => void;
}) {
  return (
    <ul
      aria-label={`API tokens of ${owner.name}`}
      className="divide-y divide-slate-100 rounded-md border border-slate-200"
    >
      {tokens.map((token) => (
        <li key={token.id} className="flex items-start justify-between gap-4 px-4 py-3">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <span className="break-all font-medium text-slate-900">{token.name}</span>
              <code className="font-mono text-xs text-slate-600">{token.prefix}</code>
              <TokenStatusBadge status={token.status} />
              <ExpiryWarning token={token} />
            </div>
            <div className="mt-1">
              <TokenScopes token={token} role={owner.role} />
            </div>
            <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
              {(
                [
                  ['Created', token.created_at, '—'],
                  ['Last used', token.last_used_at, 'Never'],
                  ['Expires', token.expires_at, 'Never'],
                ] as const
              ).map(([label, value, empty]) => (
                <div key={label} className="flex gap-1">
                  <dt>{label}</dt>
                  <dd>
                    <DateTime value={value} empty={empty} />
                  </dd>
                </div>
              ))}
            </dl>
          </div>
          {token.status === 'active' && (
            <Writes>
              <RowAction label="Revoke" subject={`token ${token.name}`} danger onClick={() => onRevoke(token)} />
            </Writes>
          )}
        </li>
      ))}
    </ul>
  );
}

type ConfirmProps = { token: PublicToken; owner: PublicUser; onCancel: () => void; onRevoke: () => Promise<void> };

function ConfirmRevoke({ token, owner, onCancel, onRevoke }: ConfirmProps) {
  const { pending, errors, submit } = useFormSubmit([]);
  return (
    <FocusOnMount active>
      <form
        method="post"
        aria-label={`Revoke token ${token.name}`}
        onSubmit={(event) => {
          event.preventDefault();
          void submit(onRevoke);
        }}
      >
        <FormAlert message={errors.message} />
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Revoke “{token.name}” ({token.prefix}) of {owner.name}? Anything that uses it loses access at once. This
          cannot be undone.
        </p>
        <FormActions
          onCancel={onCancel}
          pending={pending}
          label="Revoke token"
          pendingLabel="Revoking…"
          tone="danger"
        />
      </form>
    </FocusOnMount>
  );
}

/**
 * The dialog swaps its list for a confirmation and back; without this, focus would be left on a
 * button that no longer exists. `active` false leaves focus to the dialog's own opening logic.
 */
function FocusOnMount({ active, children }: { active: boolean; children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only on mount, when the view appears
  useEffect(() => {
    if (active) ref.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, []);
  return <div ref={ref}>{children}</div>;
}
