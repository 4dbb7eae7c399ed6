import { describe, expect, it } from 'vitest';
import { ConfigError, launcherEnvSchema, parseEnv } from './env';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db' };

describe('parseEnv', () => {
  it('applies the documented defaults', () => {
    const env = parseEnv(base);
    expect(env).toMatchObject({
      PORT: 3000,
      LOG_LEVEL: 'info',
      SEED_DEMO: true,
      WORKER_CONCURRENCY: 4,
      JOB_TIMEOUT_SECONDS: 90,
      SYNC_BATCH_SIZE: 10,
      SYNC_HISTORY_DAYS: 90,
      SCHEDULE_CATCH_UP: false,
      EMBEDDED_PG_PORT: 54329,
      PGBOSS_SCHEMA: 'pgboss',
    });
  });

  it('names the variable that is missing or bad', () => {
    expect(() => parseEnv({})).toThrow(/DATABASE_URL is required/);
    expect(() => parseEnv({ ...base, PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseEnv({ ...base, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseEnv({ ...base, DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => parseEnv({ ...base, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => parseEnv({ ...base, SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/);
  });

  it('treats empty strings as unset and parses booleans', () => {
    expect(parseEnv({ ...base, PORT: '', SEED_DEMO: 'false' })).toMatchObject({ PORT: 3000, SEED_DEMO: false });
  });

  it('lets the launcher start without a database URL', () => {
    expect(parseEnv({}, launcherEnvSchema).DATABASE_URL).toBeUndefined();
  });
});

describe('OpenID Connect settings (sso, issue 23 item 2)', () => {
  const oidc = {
    ...base,
    OIDC_ISSUER: 'https://login.acme.test/realms/acme/',
    OIDC_CLIENT_ID: 'ats-sync',
    OIDC_CLIENT_SECRET: 'client-secret-value',
  };

  it('parses a whole configuration with its defaults', () => {
    expect(parseEnv(oidc)).toMatchObject({
      OIDC_ISSUER: 'https://login.acme.test/realms/acme',
      OIDC_DISPLAY_NAME: 'single sign-on',
      OIDC_SCOPES: 'openid email profile',
      OIDC_ALLOWED_DOMAINS: [],
      OIDC_ROLE_MAP: [],
      OIDC_DEFAULT_ROLE: 'none',
      OIDC_CREATE_USERS: true,
      PASSWORD_SIGN_IN: 'enabled',
    });
    const env = parseEnv({
      ...oidc,
      OIDC_ALLOWED_DOMAINS: 'Acme.test, @acme.example',
      OIDC_ROLE_CLAIM: 'realm_access.roles',
      OIDC_ROLE_MAP: 'ats-admins=admin, ats-recruiters=recruiter,auditors=viewer',
    });
    expect(env.OIDC_ALLOWED_DOMAINS).toEqual(['acme.test', 'acme.example']);
    expect(env.OIDC_ROLE_MAP).toEqual([
      { group: 'ats-admins', role: 'admin' },
      { group: 'ats-recruiters', role: 'recruiter' },
      { group: 'auditors', role: 'viewer' },
    ]);
  });

  it('half a configuration stops the start with one sentence naming what is missing', () => {
    expect(() => parseEnv({ ...base, OIDC_ISSUER: 'https://login.acme.test' })).toThrow(
      'OIDC_ISSUER set without OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: set all three, or none',
    );
    expect(() => parseEnv({ ...oidc, OIDC_CLIENT_SECRET: '' })).toThrow(/set without OIDC_CLIENT_SECRET/);
    expect(() => parseEnv({ ...base, PASSWORD_SIGN_IN: 'disabled' })).toThrow(/nobody could sign in/);
    expect(() => parseEnv({ ...oidc, OIDC_ROLE_MAP: 'a=admin' })).toThrow(/OIDC_ROLE_MAP needs OIDC_ROLE_CLAIM/);
  });

  it('refuses bad values, naming the variable', () => {
    for (const [name, value] of [
      ['OIDC_ISSUER', 'login.acme.test'],
      ['OIDC_ISSUER', 'ftp://login.acme.test'],
      ['OIDC_ISSUER', 'https://login.acme.test/?x=1'],
      ['OIDC_ALLOWED_DOMAINS', 'acme.test,not a domain'],
      ['OIDC_ROLE_MAP', 'ats-admins=owner'],
      ['OIDC_ROLE_MAP', 'just-a-group'],
      ['OIDC_ROLE_CLAIM', 'groups[0]'],
      ['OIDC_SCOPES', 'email profile'],
      ['OIDC_DEFAULT_ROLE', 'admin'],
      ['PASSWORD_SIGN_IN', 'off'],
    ])
      expect(() => parseEnv({ ...oidc, OIDC_ROLE_CLAIM: 'groups', [name]: value }), `${name}=${value}`).toThrow(
        new RegExp(`${name}: `),
      );
  });

  it('an http issuer only on a loopback address OUTBOUND_ALLOW_CIDRS opened', () => {
    const http = { ...oidc, OIDC_ISSUER: 'http://127.0.0.1:9400' };
    expect(() => parseEnv(http)).toThrow(/OIDC_ISSUER: must be https/);
    expect(parseEnv({ ...http, OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32' }).OIDC_ISSUER).toBe('http://127.0.0.1:9400');
    expect(() =>
      parseEnv({ ...oidc, OIDC_ISSUER: 'http://idp.acme.test', OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8' }),
    ).toThrow(/OIDC_ISSUER: must be https/);
  });

  it('never puts the client secret in an error', () => {
    const secret = 'client-secret-value';
    try {
      parseEnv({ ...oidc, OIDC_ISSUER: 'nope' });
    } catch (err) {
      expect(String(err)).not.toContain(secret);
    }
    expect.assertions(1);
  });
});
