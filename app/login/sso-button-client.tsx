'use client';

import { signIn } from 'next-auth/react';
import { useState } from 'react';

/**
 * Starts the OpenID Connect sign-in. next-auth needs its CSRF token in the POST that starts it,
 * which only its client can fetch; if the issuer cannot be reached next-auth sends the browser
 * back to /login with ?error=OAuthSignin, which the page explains.
 */
export function SsoButton({
  providerId,
  displayName,
  callbackUrl,
  primary,
}: {
  providerId: string;
  displayName: string;
  callbackUrl: string;
  primary: boolean;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className={`${primary ? 'btn-primary' : 'btn-secondary'} w-full`}
      disabled={busy}
      aria-busy={busy}
      onClick={() => {
        setBusy(true);
        signIn(providerId, { callbackUrl }).catch(() => {
          window.location.assign('/login?error=OAuthSignin');
        });
      }}
    >
      {busy ? `Opening ${displayName}…` : `Sign in with ${displayName}`}
    </button>
  );
}
