import type { NextAuthOptions, Session } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '@/lib/db';
import { appUrl, getEnv } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { getLogger } from '@/lib/logger';
import { authenticateWithPassword, resolveSessionUser } from '@/lib/users/service';
import { recordSsoRefusal, signInWithSso } from '@/lib/users/sso-sign-in';
import { signInSchema } from '@/lib/users/schemas';
import { clientIp } from '@/lib/api/client-ip';
import { usesSecureCookies } from '@/lib/auth/cookies';
import { judgeClaims } from '@/lib/auth/sso/claims';
import { passwordSignInEnabled, SSO_PROVIDER_ID, ssoConfigOf } from '@/lib/auth/sso/config';
import { ssoErrorCode } from '@/lib/auth/sso/errors';
import { ssoProvider } from '@/lib/auth/sso/provider';

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** Per request: the client address, which next-auth's signIn callback does not see. */
export type AuthRequestContext = { ip: string | null };

export function getAuthOptions(context: AuthRequestContext = { ip: null }): NextAuthOptions {
  const env = getEnv();
  const sso = ssoConfigOf(env);
  const providers: NextAuthOptions['providers'] = [];
  // PASSWORD_SIGN_IN=disabled: the credentials provider does not exist, so next-auth refuses it
  // (API tokens and the CLI's break-glass user commands are unaffected).
  if (passwordSignInEnabled(env))
    providers.push(
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          const parsed = signInSchema.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          const headers = new Headers(req?.headers as Record<string, string> | undefined);
          const user = await authenticateWithPassword(
            getDb(),
            parsed.data.email,
            parsed.data.password,
            clientIp(headers),
          ).catch((err) => {
            // next-auth hands the message of a thrown error to the sign-in form as `error`.
            if (isAppError(err) && err.code === 'rate_limited') throw new Error('rate_limited');
            throw err;
          });
          if (!user) return null;
          return { id: user.id, email: user.email, name: user.name, role: user.role, sv: user.session_version };
        },
      }),
    );
  if (sso) providers.push(ssoProvider(sso));
  return {
    secret: env.NEXTAUTH_SECRET,
    // From APP_URL, not from the request's scheme nor only NEXTAUTH_URL: `next start` with APP_URL
    // alone must also give the __Secure- cookie (lib/auth/cookies.ts).
    useSecureCookies: usesSecureCookies(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login', error: '/login' },
    providers,
    // next-auth's own logger prints whole error objects (an OAuth error can carry the issuer's
    // answer); ours keeps the code and the message, and nothing at debug level.
    logger: {
      error(code, metadata) {
        const err = (metadata as { error?: Error } | undefined)?.error ?? (metadata as Error | undefined);
        getLogger().warn({ code, message: err instanceof Error ? err.message : undefined }, 'sign-in error');
      },
      warn(code) {
        getLogger().warn({ code }, 'sign-in warning');
      },
      debug() {},
    },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== SSO_PROVIDER_ID) return true;
        if (!sso) return false;
        const back = (reason: Parameters<typeof ssoErrorCode>[0]) =>
          `${appUrl(env)}/login?error=${ssoErrorCode(reason)}`;
        let result: Awaited<ReturnType<typeof signInWithSso>>;
        try {
          const judged = judgeClaims(profile, sso);
          if (!judged.ok) {
            await recordSsoRefusal(getDb(), sso, judged.reason, judged.email, context.ip);
            return back(judged.reason);
          }
          result = await signInWithSso(getDb(), sso, judged.identity, context.ip);
        } catch (err) {
          // next-auth would put a thrown error's message in the URL; it goes to the log instead.
          getLogger().error({ err }, 'SSO sign-in failed');
          return back('failed');
        }
        if (!result.ok) return back(result.reason);
        // next-auth hands this same object to the jwt callback: the session is our user's.
        Object.assign(user, {
          id: result.user.id,
          email: result.user.email,
          name: result.user.name,
          role: result.user.role,
          sv: result.user.session_version,
        });
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          const u = user as typeof user & { role: string; sv: number };
          token.sub = u.id;
          token.role = u.role;
          token.sv = u.sv;
          token.email = u.email;
          token.name = u.name;
          delete token.picture;
        }
        return token;
      },
      async session({ session, token }) {
        // The session holds only while the user is active and nothing about them changed since sign-in.
        const user = token.sub ? await resolveSessionUser(getDb(), token.sub, Number(token.sv)) : null;
        if (!user) return { expires: session.expires } as Session;
        return { expires: session.expires, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
      },
    },
  };
}
