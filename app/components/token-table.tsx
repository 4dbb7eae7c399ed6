import { Badge, type BadgeTone } from '@/app/components/badge';
import { DateTime } from '@/app/components/date-time';
import { RowAction } from '@/app/components/row-action';
import { TableHead } from '@/app/components/table-head';
import type { PublicToken } from '@/lib/tokens/schemas';

const STATUS: Record<PublicToken['status'], { tone: BadgeTone; label: string }> = {
  active: { tone: 'green', label: 'Active' },
  expired: { tone: 'amber', label: 'Expired' },
  revoked: { tone: 'gray', label: 'Revoked' },
};

/** API tokens as their owner (/settings/tokens) and admins (/admin/users) see them; only active ones offer Revoke. */
export function TokenTable({
  tokens,
  caption,
  onRevoke,
}: {
  tokens: PublicToken[];
  caption: string;
  onRevoke: (token: PublicToken) => void;
}) {
  return (
    <table className="table">
      <caption className="sr-only">{caption}</caption>
      <TableHead columns={['Name', 'Token', 'Created', 'Last used', 'Expires', 'Status']} />
      <tbody className="divide-y divide-slate-100">
        {tokens.map((token) => (
          <tr key={token.id} className={token.status === 'active' ? undefined : 'text-slate-500'}>
            <td className="font-medium text-slate-900">{token.name}</td>
            <td>
              <code className="font-mono text-xs">{token.prefix}</code>
            </td>
            <td className="whitespace-nowrap">
              <DateTime value={token.created_at} />
            </td>
            <td className="whitespace-nowrap">
              <DateTime value={token.last_used_at} empty="Never" />
            </td>
            <td className="whitespace-nowrap">
              <DateTime value={token.expires_at} empty="Never" />
            </td>
            <td>
              <Badge tone={STATUS[token.status].tone}>{STATUS[token.status].label}</Badge>
            </td>
            <td className="text-right">
              {token.status === 'active' && (
                <RowAction label="Revoke" subject={`token ${token.name}`} danger onClick={() => onRevoke(token)} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
