import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as me from '@/app/api/v1/me/route';
import * as nextauth from '@/app/api/auth/[...nextauth]/route';
import * as submit from '@/app/login/submit/route';
import { clientIp } from '@/lib/api/client-ip';
import { installPeerAddressHook, peerAddressHeader } from '@/lib/api/peer-address';
import { getDb } from '@/lib/db';
import { TEST_ORIGIN, callRoute, createTestUser } from '@/test/fixtures';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function postForm(fields: Record<string, string>, headers: Record<string, string> = { origin: TEST_ORIGIN }) {
  return callRoute(submit.POST, {
    method: 'POST',
    path: '/login/submit',
    rawBody: new URLSearchParams(fields).toString(),
    headers: { ...FORM, ...headers },
  });
}

async function authAudit(email: string) {
  const rows = await getDb()
    .selectFrom('audit_events')
    .select(['action', 'details', 'actor_email'])
    .where('action', 'like', 'auth.%')
    .orderBy('created_at')
    .execute();
  return rows.filter((r) => ((r.details as { email?: string }).email ?? r.actor_email) === email.toLowerCase());
}

describe('the login form posts to /login/submit (issue 17)', () => {
  it('signs in with the session cookie next-auth would set and redirects (303) to the callback path', async () => {
    const user = await createTestUser('recruiter');
    const res = await postForm({ email: user.email, password: user.password, callbackUrl: '/settings/tokens' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/settings/tokens');
    const cookies = res.headers.getSetCookie();
    const cookie = cookies.find((c) => c.includes('session-token')) ?? '';
    expect(cookie).toMatch(/^next-auth\.session-token=[^;]+;/);
    expect(cookies.find((c) => c.startsWith('ats_login_email='))).toMatch(
      /^ats_login_email=;.*Path=\/login;.*Max-Age=0/i,
    );
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=lax/i);
    // APP_URL is http in this file: no Secure flag, no __Secure- name, no HSTS.
    expect(cookie).not.toMatch(/;\s*Secure/i);
    expect(res.headers.get('strict-transport-security')).toBeNull();

    // The route wrapper (next-auth's getToken) accepts the cookie as a signed-in session.
    const session = callRoute(me.GET, { headers: { cookie: cookie.split(';')[0] } });
    expect(await session).toMatchObject({ status: 200, body: { email: user.email, via: 'session' } });
    expect((await authAudit(user.email)).map((a) => a.action)).toEqual(['auth.signed_in']);
  });

  it('a wrong password goes back to /login with an error code, never with what was typed', async () => {
    const user = await createTestUser('recruiter');
    const res = await postForm({ email: user.email, password: 'wrong-secret-guess', callbackUrl: '/admin/users' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?callbackUrl=%2Fadmin%2Fusers&error=credentials');
    // No session; the email waits in a cookie for the page to fill in again, only on /login.
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).not.toContain('session-token');
    expect(cookie).toMatch(
      new RegExp(`^ats_login_email=${encodeURIComponent(user.email)};.*Path=/login;.*HttpOnly`, 'i'),
    );
    const missing = await postForm({ email: '', password: '' });
    expect(missing.headers.get('location')).toBe('/login?error=missing');
    // An outside callback is not followed.
    const evil = await postForm({ email: user.email, password: user.password, callbackUrl: 'https://evil.example/x' });
    expect(evil.headers.get('location')).toBe('/recruitment/jobs');
  });

  it('a NUL or other control character in the email or password is a failed sign-in: nothing counted, audited or stored', async () => {
    const user = await createTestUser('recruiter');
    const countRows = async () => ({
      limits: Number(
        (
          await getDb()
            .selectFrom('rate_limits')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      audit: (await authAudit(user.email)).length,
    });
    const before = await countRows();
    for (const fields of [
      { email: `${user.email}\u0000`, password: user.password },
      { email: user.email, password: `${user.password}\u0000` },
      { email: user.email, password: `${user.password}\u001b` },
    ]) {
      const res = await postForm(fields);
      expect(res.status).toBe(303);
      // A NUL in the email fails the email's format first ("missing"); in the password it is a wrong one.
      expect(res.headers.get('location')).toMatch(/^\/login\?error=(missing|credentials)$/);
      expect(res.headers.getSetCookie().some((c) => c.includes('session-token'))).toBe(false);
    }
    expect(await countRows()).toEqual(before);
  });

  it('refuses a cross-site or origin-less sign-in (login CSRF) and a non-form body, changing nothing', async () => {
    const user = await createTestUser('recruiter');
    const fields = { email: user.email, password: user.password };
    const cross = await postForm(fields, { origin: 'https://evil.example' });
    expect(cross).toMatchObject({ status: 403, body: { error: { code: 'csrf_failed' } } });
    const none = await postForm(fields, {});
    expect(none).toMatchObject({ status: 403, body: { error: { code: 'csrf_failed' } } });
    const json = await callRoute(submit.POST, { method: 'POST', body: fields, headers: { origin: TEST_ORIGIN } });
    expect(json).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
    for (const res of [cross, none, json]) expect(res.headers.get('set-cookie')).toBeNull();
    expect(await authAudit(user.email)).toEqual([]);
  });

  it('50 parallel wrong passwords against one account: at most 5 reach argon2, the rest are refused first (issue 12 item 9)', async () => {
    const user = await createTestUser('recruiter');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postForm({ email: user.email, password: `guess-${i}` })),
    );
    const audit = await authAudit(user.email);
    const checked = audit.filter(
      (a) => a.action === 'auth.sign_in_failed' && (a.details as { reason: string }).reason === 'wrong_password',
    );
    expect(checked).toHaveLength(5);
    expect(audit.filter((a) => a.action === 'auth.sign_in_rate_limited')).toHaveLength(45);
    const locations = answers.map((a) => a.headers.get('location'));
    expect(locations.filter((l) => l === '/login?error=credentials')).toHaveLength(5);
    expect(locations.filter((l) => l === '/login?error=rate_limited')).toHaveLength(45);
    // The right password is refused too until the window ends.
    const right = await postForm({ email: user.email, password: user.password });
    expect(right.headers.get('location')).toBe('/login?error=rate_limited');
  });

  it('caps bodies to /login/submit and /api/auth/* at 16 KB with 413 JSON (issue 12 item 10)', async () => {
    const big = `email=a%40b.test&password=${'x'.repeat(2 * 1024 * 1024)}`;
    const form = await callRoute(submit.POST, {
      method: 'POST',
      rawBody: big,
      headers: { ...FORM, origin: TEST_ORIGIN },
    });
    expect(form).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    for (const action of [
      ['callback', 'credentials'],
      ['signin', 'credentials'],
    ]) {
      const res = await callRoute(nextauth.POST as Parameters<typeof callRoute>[0], {
        method: 'POST',
        path: `/api/auth/${action.join('/')}`,
        params: { nextauth: action },
        rawBody: big,
        headers: { ...FORM, origin: TEST_ORIGIN },
      });
      expect(res).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    }
    expect(await authAudit('a@b.test')).toEqual([]);
  });
});

describe('client address (issue 12 item 9: TRUSTED_PROXY_HOPS)', () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    installPeerAddressHook();
    // A plain node:http server handing requests to the route handler the way Next does: headers as
    // the socket delivered them (plus the peer hook's), body as read.
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
      }
      const request = new NextRequest(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const response = await submit.POST(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.close();
  });

  it('with 0 trusted hops the socket address is counted and audited; a spoofed X-Forwarded-For changes nothing', async () => {
    const user = await createTestUser('recruiter');
    for (const spoof of ['203.0.113.9', '198.51.100.1, 203.0.113.10']) {
      const res = await fetch(`${base}/login/submit`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...FORM, origin: base, 'x-forwarded-for': spoof, 'x-real-ip': '203.0.113.11' },
        body: new URLSearchParams({ email: user.email, password: 'wrong' }),
      });
      expect(res.status).toBe(303);
    }
    const audit = await authAudit(user.email);
    expect(audit.map((a) => (a.details as { ip: string }).ip)).toEqual(['127.0.0.1', '127.0.0.1']);
    const counted = await getDb()
      .selectFrom('rate_limits')
      .select(['key', 'count'])
      .where('key', 'like', 'signin:ip:%')
      .execute();
    expect(counted).toEqual([{ key: 'signin:ip:127.0.0.1', count: 2 }]);
  });

  it('behind N trusted proxies the client is the Nth X-Forwarded-For entry from the right', () => {
    const peer = peerAddressHeader() ?? '';
    const headers = new Headers({ [peer]: '10.0.0.2', 'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.0.0.1' });
    expect(clientIp(headers, 0)).toBe('10.0.0.2');
    expect(clientIp(headers, 1)).toBe('10.0.0.1');
    expect(clientIp(headers, 2)).toBe('198.51.100.4');
    expect(clientIp(headers, 5)).toBe('6.6.6.6');
    expect(clientIp(new Headers({ [peer]: '10.0.0.2', 'x-forwarded-for': '::ffff:10.0.0.1' }), 1)).toBe('10.0.0.1');
    // Without the socket's address (no hook), a client-written header is never believed.
    expect(clientIp(new Headers({ 'x-forwarded-for': '6.6.6.6' }), 0)).toBeNull();
  });
});
