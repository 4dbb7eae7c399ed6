import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { createTestToken, createTestUser } from '@/test/fixtures';
import { readScopesOfRole, scopesOfRole } from '@/lib/tokens/scopes';
import { authenticateApiToken } from '@/lib/tokens/service';
import { authenticateWithPassword, resolveSessionUser } from '@/lib/users/service';
import { runCli } from './run-cli';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { db: getDb, output: { out: (l) => out.push(l), err: (l) => err.push(l) } });
  return { code, out, err: err.join('\n') };
}

function auditEvents(action: string) {
  return getDb().selectFrom('audit_events').selectAll().where('action', '=', action).execute();
}

describe('cli: user create and token create', () => {
  it('creates a user, then a token that authenticates as that user', async () => {
    const created = await cli(
      'user',
      'create',
      '--email',
      'Grace@Example.test',
      '--name',
      'Grace Hopper',
      '--role',
      'admin',
      '--password',
      'long-enough-pw',
    );
    expect(created.code).toBe(0);
    expect(created.out.join('\n')).toContain('grace@example.test');
    const row = await getDb()
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'grace@example.test')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Grace Hopper', role: 'admin', is_active: true });
    expect(await authenticateWithPassword(getDb(), 'grace@example.test', 'long-enough-pw', null)).not.toBeNull();
    const [createdEvent] = (await auditEvents('user.created')).filter((e) => e.target_id === row.id);
    expect(createdEvent.actor_email).toBe('system:cli');

    const token = await cli(
      'token',
      'create',
      '--email',
      'grace@example.test',
      '--name',
      'deploy',
      '--expires-days',
      '30',
    );
    expect(token.code).toBe(0);
    const last = token.out.at(-1)!;
    expect(last).toMatch(/^ats_\S+$/);
    expect(token.out.slice(0, -1).join('\n')).not.toContain(last);
    const actor = await authenticateApiToken(getDb(), last, null);
    expect(actor).toMatchObject({ kind: 'user', id: row.id, role: 'admin', via: 'token' });

    const stored = await getDb()
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe('deploy');
    const days = (stored.expires_at!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const [tokenEvent] = (await auditEvents('token.created')).filter((e) => e.target_id === stored.id);
    expect(tokenEvent.details).toMatchObject({ via: 'cli' });
  });

  it('creates a token for 90 days with all of the role’s scopes when the options are left out', async () => {
    const user = await createTestUser('recruiter');
    const res = await cli('token', 'create', '--email', user.email, '--name', 'defaults');
    expect(res.code).toBe(0);
    expect(res.out.join('\n')).toContain(`Scopes: ${scopesOfRole('recruiter').join(', ')}`);
    const actor = await authenticateApiToken(getDb(), res.out.at(-1)!, null);
    expect(actor).toMatchObject({ id: user.id, scopes: scopesOfRole('recruiter') });
    const stored = await getDb()
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    const days = (stored.expires_at!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
  });

  it('takes --scopes as a list or the presets read and all, refusing unknown and above-role scopes', async () => {
    const user = await createTestUser('recruiter');
    const create = (scopes: string) => cli('token', 'create', '--email', user.email, '--name', 's', '--scopes', scopes);
    const listed = await create(' syncs:write, jobs:read ');
    expect(listed.code).toBe(0);
    expect(await authenticateApiToken(getDb(), listed.out.at(-1)!, null)).toMatchObject({
      scopes: ['jobs:read', 'syncs:write'],
    });
    const read = await create('read');
    expect(await authenticateApiToken(getDb(), read.out.at(-1)!, null)).toMatchObject({
      scopes: readScopesOfRole('recruiter'),
    });
    for (const [scopes, error] of [
      ['jobs:admin', '--scopes: unknown scope "jobs:admin"'],
      ['sources:read', 'scopes above the recruiter role: sources:read'],
      ['', '--scopes: name at least one of'],
    ]) {
      const res = await create(scopes);
      expect(res.code, scopes).toBe(1);
      expect(res.err).toContain(error);
    }
    const tokens = await getDb().selectFrom('api_tokens').select('id').where('user_id', '=', user.id).execute();
    expect(tokens).toHaveLength(2);
  });

  it('refuses a bad role, a bad email and a short password, naming the options', async () => {
    const res = await cli(
      'user',
      'create',
      '--email',
      'not-an-email',
      '--name',
      'X',
      '--role',
      'owner',
      '--password',
      'short',
    );
    expect(res.code).toBe(1);
    expect(res.err).toContain('--email');
    expect(res.err).toContain('--role');
    expect(res.err).toContain('--password: must be at least 8 characters');
    const count = await getDb().selectFrom('users').select('id').where('name', '=', 'X').execute();
    expect(count).toHaveLength(0);
  });

  it('refuses a duplicate email', async () => {
    const user = await createTestUser('recruiter');
    const res = await cli(
      'user',
      'create',
      '--email',
      user.email.toUpperCase(),
      '--name',
      'Someone Else',
      '--role',
      'recruiter',
      '--password',
      'long-enough-pw',
    );
    expect(res.code).toBe(1);
    expect(res.err).toBe(`error: a user with email ${user.email} already exists`);
  });

  it('refuses tokens for unknown or deactivated users and bad expiry', async () => {
    const unknown = await cli('token', 'create', '--email', 'nobody@example.test', '--name', 't');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no user with email nobody@example.test');

    const user = await createTestUser('recruiter');
    const badDays = await cli('token', 'create', '--email', user.email, '--name', 't', '--expires-days', '0');
    expect(badDays.code).toBe(1);
    expect(badDays.err).toContain('--expires-days');
    const tooLong = await cli('token', 'create', '--email', user.email, '--name', 't', '--expires-days', '367');
    expect(tooLong.err).toContain('--expires-days: must be a whole number from 1 to 366');

    await getDb().updateTable('users').set({ is_active: false }).where('id', '=', user.id).execute();
    const inactive = await cli('token', 'create', '--email', user.email, '--name', 't');
    expect(inactive.code).toBe(1);
    expect(inactive.err).toContain('deactivated');
    const tokens = await getDb().selectFrom('api_tokens').select('id').where('user_id', '=', user.id).execute();
    expect(tokens).toHaveLength(0);
  });
});

describe('cli: user set-password and user list', () => {
  it('changes the password, ends the sessions and revokes the API tokens', async () => {
    const user = await createTestUser('recruiter');
    const token = await createTestToken(user);
    expect(await authenticateApiToken(getDb(), token, null)).toMatchObject({ id: user.id });
    const res = await cli('user', 'set-password', '--email', user.email, '--password', 'a-brand-new-password');
    expect(res.code).toBe(0);
    expect(res.out.join('\n')).toContain('1 API token was revoked');
    await expect(authenticateApiToken(getDb(), token, null)).rejects.toMatchObject({ code: 'invalid_token' });
    expect(await authenticateWithPassword(getDb(), user.email, user.password, null)).toBeNull();
    expect(await authenticateWithPassword(getDb(), user.email, 'a-brand-new-password', null)).not.toBeNull();
    expect(await resolveSessionUser(getDb(), user.id, user.sessionVersion)).toBeNull();
    expect(await resolveSessionUser(getDb(), user.id, user.sessionVersion + 1)).not.toBeNull();
    const [event] = (await auditEvents('user.updated')).filter((e) => e.target_id === user.id);
    expect(event.actor_email).toBe('system:cli');
    expect(event.details).toMatchObject({ changes: { password_reset: true }, tokens_revoked: 1 });
    expect(JSON.stringify(event.details)).not.toContain('a-brand-new-password');
  });

  it('refuses a short password and an unknown user', async () => {
    const user = await createTestUser('recruiter');
    const short = await cli('user', 'set-password', '--email', user.email, '--password', 'short');
    expect(short.code).toBe(1);
    expect(short.err).toContain('--password: must be at least 8 characters');
    const row = await getDb()
      .selectFrom('users')
      .select('session_version')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.session_version).toBe(user.sessionVersion);

    const unknown = await cli('user', 'set-password', '--email', 'nobody@example.test', '--password', 'long-enough');
    expect(unknown.code).toBe(1);
  });

  it('lists users with role and status', async () => {
    const admin = await createTestUser('admin');
    const recruiter = await createTestUser('recruiter');
    await getDb().updateTable('users').set({ is_active: false }).where('id', '=', recruiter.id).execute();
    const res = await cli('user', 'list');
    expect(res.code).toBe(0);
    expect(res.out[0]).toMatch(/^EMAIL\s+NAME\s+ROLE\s+STATUS\s+LAST SIGN-IN$/);
    expect(res.out.find((l) => l.startsWith(admin.email))).toMatch(/\badmin\s+active\s+never$/);
    expect(res.out.find((l) => l.startsWith(recruiter.email))).toMatch(/\brecruiter\s+deactivated\s+never$/);
  });
});

describe('cli: the viewer role (issue 23)', () => {
  it('creates a viewer whose tokens hold only read scopes, all of them by default', async () => {
    const created = await cli(
      'user',
      'create',
      '--email',
      'auditor@example.test',
      '--name',
      'An Auditor',
      '--role',
      'viewer',
      '--password',
      'long-enough-pw',
    );
    expect(created.code, created.err).toBe(0);
    expect(created.out.join('\n')).toMatch(/role:\s+viewer/);
    const token = await cli('token', 'create', '--email', 'auditor@example.test', '--name', 'audit script');
    expect(token.code, token.err).toBe(0);
    const actor = await authenticateApiToken(getDb(), token.out.at(-1)!, null);
    expect(actor).toMatchObject({ role: 'viewer', scopes: readScopesOfRole('admin') });

    const write = await cli(
      'token',
      'create',
      '--email',
      'auditor@example.test',
      '--name',
      'x',
      '--scopes',
      'jobs:write',
    );
    expect(write.code).toBe(1);
    expect(write.err).toContain('scopes above the viewer role: jobs:write');
  });

  it('changes a role with user set-role, ending the sessions, and refuses a bad role', async () => {
    const user = await createTestUser('admin');
    await createTestUser('admin');
    const res = await cli('user', 'set-role', '--email', user.email, '--role', 'viewer');
    expect(res.code, res.err).toBe(0);
    expect(res.out.join('\n')).toContain(`${user.email} is now a viewer (was admin)`);
    const row = await getDb().selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: 'viewer', session_version: user.sessionVersion + 1 });
    const [event] = (await auditEvents('user.updated')).filter((e) => e.target_id === user.id);
    expect(event.details).toMatchObject({ changes: { role: { from: 'admin', to: 'viewer' } } });

    const bad = await cli('user', 'set-role', '--email', user.email, '--role', 'owner');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--role');
    expect(
      await getDb().selectFrom('users').select('role').where('id', '=', user.id).executeTakeFirstOrThrow(),
    ).toEqual({
      role: 'viewer',
    });
  });

  it('will not make the last active admin a viewer', async () => {
    await getDb().updateTable('users').set({ is_active: false }).where('role', '=', 'admin').execute();
    const admin = await createTestUser('admin');
    const res = await cli('user', 'set-role', '--email', admin.email, '--role', 'viewer');
    expect(res.code).toBe(1);
    expect(res.err).toContain('last active admin');
  });
});

describe('cli: usage', () => {
  const noDb = () => {
    throw new Error('help must not open the database');
  };

  it('prints usage for help and no arguments, saying where the database comes from', async () => {
    for (const argv of [[], ['help'], ['--help'], ['user', 'create', '--help']]) {
      const out: string[] = [];
      const code = await runCli(argv, { db: noDb, output: { out: (l) => out.push(l), err: () => {} } });
      expect(code).toBe(0);
      expect(out.join('\n')).toContain('Without\nDATABASE_URL the CLI uses the embedded database');
    }
  });

  it('exits 2 on an unknown command, an unknown option or a missing option', async () => {
    const unknown = await cli('user', 'delete');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "user delete"');
    expect(unknown.err).toContain('Usage:');

    const badOption = await cli('user', 'list', '--all');
    expect(badOption.code).toBe(2);
    expect(badOption.err).toContain("'--all'");

    const missing = await cli('user', 'create', '--email', 'x@example.test');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('missing --name, --role, --password');
  });
});
