import { NextRequest } from 'next/server';
import { describe, expect, it, vi } from 'vitest';
import * as me from '@/app/api/v1/me/route';
import * as submit from '@/app/login/submit/route';
import { getAuthOptions } from '@/lib/auth/options';
import { callRoute, createTestUser } from '@/test/fixtures';
import proxy from '@/proxy';

// The app is published over https (a TLS-terminating proxy in front): requests still arrive as http.
// Only APP_URL is set, as with `next start` in the production recipe (npm start also sets NEXTAUTH_URL).
vi.hoisted(() => {
  process.env.APP_URL = 'https://ats.example.test';
  delete process.env.NEXTAUTH_URL;
});

const ORIGIN = 'https://ats.example.test';

describe('APP_URL https (issue 12 item 6)', () => {
  it('the sign-in sets a __Secure-, Secure session cookie and HSTS; the API and the proxy accept that cookie', async () => {
    expect(getAuthOptions().useSecureCookies).toBe(true);
    const user = await createTestUser('recruiter');
    const res = await callRoute(submit.POST, {
      method: 'POST',
      rawBody: new URLSearchParams({ email: user.email, password: user.password }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.includes('session-token')) ?? '';
    expect(cookie).toMatch(/^__Secure-next-auth\.session-token=[^;]+;/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    const session = cookie.split(';')[0];

    const answer = await callRoute(me.GET, { headers: { cookie: session } });
    expect(answer).toMatchObject({ status: 200, body: { email: user.email } });
    // proxy.ts does not run for /api/ paths (issue 19): the route wrapper sets HSTS on API answers.
    expect(answer.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    const page = await proxy(
      new NextRequest('http://127.0.0.1:3000/recruitment/jobs', { headers: { cookie: session } }),
    );
    expect(page.headers.get('x-middleware-next')).toBe('1');
    expect(page.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(page.headers.get('set-cookie')).toMatch(/ats_csrf=[^;]+;.*Secure/i);

    // The plain-named cookie an http deployment would use is not a session here.
    const plain = session.replace('__Secure-', '');
    const refused = await proxy(
      new NextRequest('http://127.0.0.1:3000/recruitment/jobs', { headers: { cookie: plain } }),
    );
    expect(refused.status).toBe(307);
    expect(refused.headers.get('location')).toContain('/login?callbackUrl=');
    expect(refused.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    const api = await proxy(new NextRequest('http://127.0.0.1:3000/api/v1/me'));
    expect(api.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
  });
});
