import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import proxy, { config } from '@/proxy';

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

describe('which requests the proxy runs for (issue 19: JSON routes under /api/, the seed contracts skip it)', () => {
  const runsFor = (url: string) => unstable_doesMiddlewareMatch({ config, url });
  const task = '6f1c2b1e-0c9e-4a43-9a51-0a4f3f7f2b10';

  it('skips every /api/ path and the seed URL contracts, with or without the trailing slash', () => {
    for (const url of [
      '/api/v1/me',
      `/api/v1/sync-tasks/${task}/status`,
      '/api/v1/sync-admin/tasks?limit=50',
      '/api/auth/session',
      '/api/health/ready',
      '/api/metrics',
      '/api/no-such-route',
      `/recruitment/sync/task/${task}/status/`,
      `/recruitment/sync/task/${task}/status`,
      `/recruitment/sync/task/${task}/status/?x=1`,
      '/recruitment/jobs/senior-backend-engineer/sync-hired-candidates/',
      '/recruitment/jobs/senior-backend-engineer/sync-hired-candidates',
    ]) {
      expect(runsFor(url), url).toBe(false);
    }
  });

  it('runs for every page, the sign-in form and the old sync URLs that are no longer API routes', () => {
    for (const url of [
      '/',
      '/login',
      '/login/submit',
      '/recruitment/jobs',
      '/recruitment/jobs/senior-backend-engineer',
      '/recruitment/jobs/senior-backend-engineer/hired',
      '/recruitment/jobs/senior-backend-engineer/sync-hired-candidates/x',
      `/recruitment/sync/task/${task}/cancel/`,
      `/recruitment/sync/task/${task}/retry-failed/`,
      `/recruitment/sync/task/${task}/status/x`,
      '/sync-admin/api/tasks',
      '/sync-admin/tasks',
      '/apidocs',
    ]) {
      expect(runsFor(url), url).toBe(true);
    }
  });
});
