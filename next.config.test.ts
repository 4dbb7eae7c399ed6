import { describe, expect, it } from 'vitest';
import type { NextConfig } from 'next';
// @ts-expect-error the config is plain JavaScript (typed by its JSDoc, which tsc does not read here)
import config from './next.config.mjs';

const nextConfig = config as NextConfig;

describe('next.config logging (issue 17)', () => {
  it('the dev server does not print the URLs (and so the queries) of auth pages', () => {
    const incoming = nextConfig.logging ? nextConfig.logging.incomingRequests : undefined;
    const ignore = typeof incoming === 'object' ? (incoming.ignore ?? []) : [];
    const ignored = (url: string) => ignore.some((re) => re.test(url));
    for (const url of [
      '/login?email=a%40b.test&password=hunter2',
      '/login',
      '/login/submit',
      '/api/auth/callback/credentials?x=1',
    ]) {
      expect(ignored(url), url).toBe(true);
    }
    for (const url of ['/loginx', '/recruitment/jobs?q=a', '/api/v1/me']) expect(ignored(url), url).toBe(false);
  });
});
