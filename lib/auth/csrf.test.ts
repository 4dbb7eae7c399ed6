import { describe, expect, it } from 'vitest';
import { checkCsrf } from './csrf';

const ok = {
  origin: 'http://localhost:3000',
  referer: null,
  host: 'localhost:3000',
  appOrigin: 'http://localhost:3000',
  cookieToken: 'abc',
  headerToken: 'abc',
};

describe('checkCsrf', () => {
  it('passes a same-origin request with matching tokens', () => {
    expect(checkCsrf(ok)).toBeNull();
    expect(checkCsrf({ ...ok, origin: null, referer: 'http://localhost:3000/jobs' })).toBeNull();
  });

  it('refuses other origins, a missing origin and missing or wrong tokens', () => {
    expect(checkCsrf({ ...ok, origin: 'https://evil.example' })).toMatch(/another site/);
    expect(checkCsrf({ ...ok, origin: null })).toMatch(/no Origin/);
    expect(checkCsrf({ ...ok, headerToken: null })).toMatch(/missing/);
    expect(checkCsrf({ ...ok, cookieToken: undefined })).toMatch(/missing/);
    expect(checkCsrf({ ...ok, headerToken: 'abd' })).toMatch(/does not match/);
  });
});
