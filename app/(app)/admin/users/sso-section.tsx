import { Suspense } from 'react';
import { Badge } from '@/app/components/badge';
import { checkIssuer } from '@/lib/auth/sso/check-issuer';
import { ssoConfigOf } from '@/lib/auth/sso/config';
import type { SsoOverview } from '@/lib/auth/sso/overview';
import { getEnv } from '@/lib/env';

const ROLE_NAMES = { admin: 'Admin', recruiter: 'Recruiter', viewer: 'Viewer' } as const;

/** Read-only: these settings live in the environment (README, "Single sign-on"), not in the database. */
export function SsoSection({ overview }: { overview: SsoOverview }) {
  const { sso } = overview;
  return (
    <section aria-labelledby="sso-heading" className="card space-y-4 p-6">
      <div>
        <h2 id="sso-heading" className="text-lg font-semibold">
          Single sign-on
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Set in the environment (OIDC_* and PASSWORD_SIGN_IN); read-only here. Password sign-in is{' '}
          <strong>{overview.passwordSignIn ? 'on' : 'off'}</strong>.
        </p>
      </div>
      {sso ? (
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-slate-700">Issuer</dt>
          <dd className="space-y-1">
            <span className="break-all font-mono text-xs">{sso.issuer}</span>
            <div>
              <Suspense fallback={<span className="text-slate-600">Checking the discovery document…</span>}>
                <IssuerReachability />
              </Suspense>
            </div>
          </dd>
          <dt className="font-medium text-slate-700">Button</dt>
          <dd>Sign in with {sso.displayName}</dd>
          <dt className="font-medium text-slate-700">Allowed email domains</dt>
          <dd>{sso.allowedDomains.length ? sso.allowedDomains.join(', ') : 'Any verified email'}</dd>
          <dt className="font-medium text-slate-700">Role mapping</dt>
          <dd>
            {sso.roleClaim ? (
              <>
                From the claim <code className="font-mono text-xs">{sso.roleClaim}</code>, on every sign-in:
                <ul className="mt-1 list-disc pl-5">
                  {sso.roleMap.map((m) => (
                    <li key={`${m.group}=${m.role}`}>
                      <code className="font-mono text-xs">{m.group}</code> → {ROLE_NAMES[m.role]}
                    </li>
                  ))}
                  <li>
                    No match → {sso.defaultRole ? ROLE_NAMES[sso.defaultRole] : 'refused (OIDC_DEFAULT_ROLE=none)'}
                  </li>
                </ul>
              </>
            ) : (
              <>
                Not managed by the identity provider: roles are set here.{' '}
                {sso.defaultRole ? `New users: ${ROLE_NAMES[sso.defaultRole]}.` : 'New users are refused.'}
              </>
            )}
          </dd>
          <dt className="font-medium text-slate-700">New users</dt>
          <dd>{sso.createUsers ? 'Created on first sign-in' : 'Only users created here, matched by email'}</dd>
          <dt className="font-medium text-slate-700">Users linked</dt>
          <dd>{sso.linkedUsers}</dd>
        </dl>
      ) : (
        <p className="text-sm text-slate-600">Not configured: people sign in with their email and password.</p>
      )}
    </section>
  );
}

/** Streams in after the page: a slow or unreachable issuer never holds the users list back. */
async function IssuerReachability() {
  const config = ssoConfigOf(getEnv());
  if (!config) return null;
  const check = await checkIssuer(config, 3000);
  return check.reachable ? (
    <Badge tone="green">Reachable</Badge>
  ) : (
    <span className="flex flex-wrap items-center gap-2">
      <Badge tone="red">Unreachable</Badge>
      <span className="break-all text-red-700">{check.problem}</span>
    </span>
  );
}
