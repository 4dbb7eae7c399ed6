'use client';

import { useState } from 'react';
import { CodeBlock } from '@/app/components/code-block';
import { DateTime } from '@/app/components/date-time';
import { LoadError, Notice } from '@/app/components/notice';
import { RowAction } from '@/app/components/row-action';
import { TableHead } from '@/app/components/table-head';
import { ExpiryWarning, TokenScopes } from '@/app/components/token-scopes';
import { TokenStatusBadge } from '@/app/components/token-status-badge';
import type { UserRole } from '@/db/types';
import { useTokens } from '@/lib/swr/use-tokens';
import { type CreateTokenInput, EXPIRY_WARNING_DAYS, type PublicToken } from '@/lib/tokens/schemas';
import { CreateTokenDialog, RevokeTokenDialog } from './token-dialogs-client';
import { PageHeader } from '@/app/components/page-header';

export function TokensClient({
  initialTokens,
  apiBaseUrl,
  role,
}: {
  initialTokens: PublicToken[];
  apiBaseUrl: string;
  role: UserRole;
}) {
  const { tokens, error, reload, createToken, revokeToken } = useTokens(initialTokens);
  const ending = tokens.filter((t) => t.expires_soon);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<PublicToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // A new action makes the last success message stale.
  const open = (show: () => void) => {
    setNotice(null);
    show();
  };

  async function onCreate(input: CreateTokenInput) {
    const created = await createToken(input);
    setNotice(`Token “${created.record.name}” was created.`);
    return created;
  }

  async function onRevoke(token: PublicToken) {
    await revokeToken(token.id);
    setRevoking(null);
    setNotice(`Token “${token.name}” was revoked.`);
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="API tokens"
        description="Tokens let scripts and other systems call the ATS Sync API as you, limited to the scopes chosen when they were made and never beyond your role. They stop working when they expire (90 days unless you choose another date, at most a year), when you or an admin revoke them, when your password is reset, or while your account is deactivated. A token cannot create tokens."
      >
        <button type="button" className="btn-primary" onClick={() => open(() => setCreating(true))}>
          Create token
        </button>
      </PageHeader>

      <Notice message={notice} />
      {ending.length > 0 && (
        <p role="status" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-800">
          {ending.length === 1
            ? `“${ending[0].name}” stops working within ${EXPIRY_WARNING_DAYS} days.`
            : `${ending.length} tokens stop working within ${EXPIRY_WARNING_DAYS} days.`}{' '}
          Create a replacement and switch what uses it before then.
        </p>
      )}
      {error && <LoadError what="tokens" error={error} onRetry={reload} />}

      {tokens.length === 0 ? (
        <div className="card px-6 py-10 text-center">
          <h2 className="font-medium">No API tokens yet</h2>
          <p className="mt-1 text-sm text-slate-600">Create one for each script or system that needs API access.</p>
        </div>
      ) : (
        <div className="card overflow-x-auto">
          <table className="table">
            <caption className="sr-only">Your API tokens</caption>
            <TableHead columns={['Name', 'Token', 'Scopes', 'Created', 'Last used', 'Expires', 'Status']} />
            <tbody className="divide-y divide-slate-100">
              {tokens.map((token) => (
                <tr key={token.id} className={token.status === 'active' ? undefined : 'text-slate-500'}>
                  <td className="font-medium text-slate-900">{token.name}</td>
                  <td>
                    <code className="font-mono text-xs">{token.prefix}</code>
                  </td>
                  <td>
                    <TokenScopes token={token} role={role} />
                  </td>
                  <td className="whitespace-nowrap">
                    <DateTime value={token.created_at} />
                  </td>
                  <td className="whitespace-nowrap">
                    <DateTime value={token.last_used_at} empty="Never" />
                  </td>
                  <td className="whitespace-nowrap">
                    <DateTime value={token.expires_at} empty="Never" />
                    <div>
                      <ExpiryWarning token={token} />
                    </div>
                  </td>
                  <td>
                    <TokenStatusBadge status={token.status} />
                  </td>
                  <td className="text-right">
                    {token.status === 'active' && (
                      <RowAction
                        label="Revoke"
                        subject={`token ${token.name}`}
                        danger
                        onClick={() => open(() => setRevoking(token))}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <section aria-labelledby="token-usage" className="card p-5">
        <h2 id="token-usage" className="text-sm font-semibold">
          Using a token
        </h2>
        <p className="mt-1 text-sm text-slate-600">Send it as a Bearer token. To check that it works:</p>
        <CodeBlock label="Example request" className="mt-3 px-4 py-3">
          <code>{`curl -H "Authorization: Bearer <token>" ${apiBaseUrl}/api/v1/me`}</code>
        </CodeBlock>
      </section>

      <CreateTokenDialog role={role} open={creating} onClose={() => setCreating(false)} onCreate={onCreate} />
      <RevokeTokenDialog token={revoking} onClose={() => setRevoking(null)} onRevoke={onRevoke} />
    </div>
  );
}
