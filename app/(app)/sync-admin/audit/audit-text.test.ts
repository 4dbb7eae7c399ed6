import { describe, expect, it } from 'vitest';
import type { PublicAuditEvent } from '@/lib/audit/schemas';
import { actionGroups, actionLabel, describeActor, describeTarget, detailEntries } from './audit-text';

const event = (patch: Partial<PublicAuditEvent>): PublicAuditEvent => ({
  id: '1',
  created_at: '2026-11-28T10:00:00.000Z',
  actor: { id: 'u1', email: 'ada@example.com' },
  action: 'source.updated',
  target: { type: 'source', id: 's1' },
  details: {},
  ip: null,
  ...patch,
});

describe('audit text', () => {
  it('names actions, and groups them by kind for the filter', () => {
    expect(actionLabel('schedule.disabled')).toBe('Schedule disabled');
    expect(actionLabel('user.sso_linked')).toBe('Single sign-on linked');
    expect(actionLabel('widget.frobbed_twice')).toBe('Widget frobbed twice');
    expect(actionGroups(['auth.signed_in', 'source.created', 'source.tested'])).toEqual([
      { kind: 'auth', actions: ['auth.signed_in'] },
      { kind: 'source', actions: ['source.created', 'source.tested'] },
    ]);
  });

  it('says who acted: a user, the product itself, or the email a failed sign-in tried', () => {
    expect(describeActor(event({}))).toEqual({ label: 'ada@example.com', system: false });
    expect(describeActor(event({ actor: { id: null, email: 'system:scheduler' } }))).toEqual({
      label: 'System (scheduler)',
      system: true,
    });
    expect(
      describeActor(event({ actor: { id: null, email: null }, details: { email: 'eve@example.com', reason: 'x' } })),
    ).toEqual({ label: 'eve@example.com (not signed in)', system: false });
  });

  it('names the target and links to it unless it was deleted', () => {
    expect(describeTarget(event({ details: { name: 'HRIS' } }))).toEqual({
      type: 'Source',
      name: 'HRIS',
      href: '/sync-admin/sources/s1',
    });
    expect(describeTarget(event({ action: 'source.deleted', details: { name: 'HRIS' } }))?.href).toBeNull();
    expect(describeTarget(event({ action: 'auth.signed_in', target: { type: 'user', id: 'u1' } }))?.name).toBe(
      'ada@example.com',
    );
    expect(describeTarget(event({ target: null }))).toBeNull();
  });

  it('spells out details, one level of nesting included', () => {
    expect(
      detailEntries({
        name: 'Nightly',
        base_url: 'https://x.test',
        enabled: false,
        sources: ['a', 'b'],
        changes: { cron: '0 2 * * *', source_ids: null },
        empty: {},
      }),
    ).toEqual([
      { key: 'Name', value: 'Nightly' },
      { key: 'Base URL', value: 'https://x.test' },
      { key: 'Enabled', value: 'no' },
      { key: 'Sources', value: 'a, b' },
      { key: 'Changes · Cron', value: '0 2 * * *' },
      { key: 'Changes · Source ids', value: '—' },
      { key: 'Empty', value: 'none' },
    ]);
  });
});
