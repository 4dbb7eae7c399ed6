import { Badge } from '@/app/components/badge';
import type { UserRole } from '@/db/types';
import type { PublicToken } from '@/lib/tokens/schemas';
import { SCOPES, SCOPE_PRESETS, presetOf } from '@/lib/tokens/scopes';

/**
 * A token's scopes as its owner and admins see them. A preset (or a token made before scopes,
 * which follows its owner's role) is named, with its scopes one click away; any other choice is
 * listed in full. Each scope is titled with what it allows.
 */
export function TokenScopes({ token, role }: { token: PublicToken; role: UserRole }) {
  const preset = presetOf(token.scopes, role);
  const label = token.scopes_from_role
    ? 'All of the role (made before scopes)'
    : SCOPE_PRESETS.find((p) => p.value === preset)?.label;
  if (token.scopes.length === 0) {
    return <span className="text-xs text-slate-500">None left with the owner’s role</span>;
  }
  const list = (
    <ul className="flex min-w-48 max-w-md flex-wrap gap-1">
      {token.scopes.map((scope) => (
        <li key={scope}>
          <code
            title={SCOPES[scope].label}
            className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs text-slate-700"
          >
            {scope}
          </code>
        </li>
      ))}
    </ul>
  );
  if (!label) return list;
  return (
    <details className="text-xs">
      <summary className="cursor-pointer whitespace-nowrap">
        <Badge tone="brand">{label}</Badge>{' '}
        <span className="text-slate-600">
          {token.scopes.length} {token.scopes.length === 1 ? 'scope' : 'scopes'}
        </span>
      </summary>
      <div className="mt-1">{list}</div>
    </details>
  );
}

/** "Expires in 3 days" for an active token that ends within the warning period, else nothing. */
export function ExpiryWarning({ token }: { token: PublicToken }) {
  if (!token.expires_soon || !token.expires_at) return null;
  const days = Math.max(0, Math.ceil((new Date(token.expires_at).getTime() - Date.now()) / 86_400_000));
  return <Badge tone="amber">{days <= 1 ? 'Expires within a day' : `Expires in ${days} days`}</Badge>;
}
