import type { NextAuthOptions, Session } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { authenticateWithPassword, resolveSessionUser } from '@/lib/users/service';
import { signInSchema } from '@/lib/users/schemas';
import { clientIp } from '@/lib/api/client-ip';
import { usesSecureCookies } from '@/lib/auth/cookies';

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export function getAuthOptions(): NextAuthOptions {
  return {
    secret: getEnv().NEXTAUTH_SECRET,
    // From APP_URL, not from the request's scheme nor only NEXTAUTH_URL: `next start` with APP_URL
    // alone must also give the __Secure- cookie (lib/auth/cookies.ts).
    useSecureCookies: usesSecureCookies(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login', error: '/login' },
    providers: [
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
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          const u = user as typeof user & { role: string; sv: number };
          token.sub = u.id;
          token.role = u.role;
          token.sv = u.sv;
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
