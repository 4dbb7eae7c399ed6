import { describe, expect, it } from 'vitest';
import { routePattern } from './registry';

describe('routePattern', () => {
  it('puts parameter names where their values were, so labels stay bounded', () => {
    expect(routePattern('/api/v1/jobs/senior-dev/candidates', { slug: 'senior-dev' })).toBe(
      '/api/v1/jobs/[slug]/candidates',
    );
    expect(routePattern('/api/v1/jobs/caf%C3%A9/', { slug: 'café' })).toBe('/api/v1/jobs/[slug]');
    expect(routePattern('/api/v1/nope/a/b', { path: ['v1', 'nope', 'a', 'b'] })).toBe('/api/[...path]');
    expect(routePattern('/api/v1/webhooks', {})).toBe('/api/v1/webhooks');
  });

  it('replaces one segment per parameter, even when a value repeats a fixed segment', () => {
    expect(routePattern('/api/v1/jobs/candidates/candidates', { slug: 'candidates' })).toBe(
      '/api/v1/jobs/[slug]/candidates',
    );
    expect(routePattern('/x/1/y/1', { a: '1', b: '1' })).toBe('/x/[a]/y/[b]');
  });
});
