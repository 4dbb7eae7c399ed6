import NextAuth from 'next-auth';
import { NextRequest } from 'next/server';
import { clientIp } from '@/lib/api/client-ip';
import { errorResponse } from '@/lib/api/error-response';
import { readCappedText } from '@/lib/api/read-capped-body';
import { withHsts } from '@/lib/auth/cookies';
import { SAFE_METHODS } from '@/lib/auth/csrf';
import { AUTH_BODY_MAX_BYTES } from '@/lib/auth/form-sign-in';
import { getAuthOptions } from '@/lib/auth/options';
import { getLogger } from '@/lib/logger';

async function handler(req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) {
  try {
    // next-auth reads whatever body it is given; the body is capped first, as every other one is.
    const request = SAFE_METHODS.has(req.method)
      ? req
      : new NextRequest(req.url, {
          method: req.method,
          headers: req.headers,
          body: await readCappedText(req, AUTH_BODY_MAX_BYTES),
        });
    const res: Response = await NextAuth(
      request as never,
      { params: await ctx.params } as never,
      getAuthOptions({ ip: clientIp(req.headers) }),
    );
    return withHsts(res);
  } catch (err) {
    const log = getLogger().child({ method: req.method, path: req.nextUrl.pathname });
    return withHsts(errorResponse(err, log));
  }
}

export { handler as GET, handler as POST };
