import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import proxy from '@/proxy';

const BASE = 'http://localhost:3000';

describe('proxy on /login (issue 17)', () => {
  it('redirects /login carrying an email or a password to /login without them, keeping callbackUrl', async () => {
    const cases: [string, string][] = [
      ['/login?email=a%40b.test&password=hunter2', `${BASE}/login`],
      ['/login?callbackUrl=%2Fsettings%2Ftokens&email=a&password=b', `${BASE}/login?callbackUrl=%2Fsettings%2Ftokens`],
      ['/login?password=b&callbackUrl=https%3A%2F%2Fevil.example', `${BASE}/login`],
      ['/login?error=credentials&password=b', `${BASE}/login?error=credentials`],
    ];
    for (const [path, target] of cases) {
      const res = await proxy(new NextRequest(`${BASE}${path}`));
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location'), path).toBe(target);
    }
  });

  it('renders /login with only callbackUrl and error, and sends no HSTS on an http APP_URL', async () => {
    for (const path of ['/login', '/login?callbackUrl=%2Fadmin%2Fusers&error=rate_limited']) {
      const res = await proxy(new NextRequest(`${BASE}${path}`));
      expect(res.headers.get('x-middleware-next'), path).toBe('1');
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('set-cookie')).not.toMatch(/Secure/i);
    }
    const submit = await proxy(new NextRequest(`${BASE}/login/submit`, { method: 'POST' }));
    expect(submit.headers.get('x-middleware-next')).toBe('1');
    expect(submit.headers.get('location')).toBeNull();
  });
});
