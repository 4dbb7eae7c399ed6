import { describe, expect, it } from 'vitest';
import type { ActionItem } from './contract';
import { personio, rehireStatus } from './personio';
import type { SourceConfig } from './types';

const source = { id: 's', baseUrl: 'https://proxy.example.test/personio/' } as SourceConfig;
const item = (externalId: string | null, record: ActionItem['record'] = { first_name: 'Ada', last_name: 'L' }) =>
  [
    {
      item: {
        deliveryId: 'd',
        idempotencyKey: 'k',
        attempt: 1,
        candidate: { id: 'c', first_name: 'Ada', last_name: 'L', email: 'a@x.test', phone: null, hired_at: null },
        job: { id: 'j', slug: 's', title: 'T', department: null, location: null },
      },
      record,
      externalId,
    },
  ] as ActionItem[];
const ctx = (settings = {}) => ({ source, settings: personio.settings.parse(settings), now: new Date() });

describe('Personio requests', () => {
  it('builds the v2 person with its employment under the base URL, partner headers when set', () => {
    const record = {
      first_name: 'Ada',
      last_name: 'L',
      email: null,
      'employment.office.id': 42,
      'employment.department.id': 'd7',
    };
    const request = personio.buildRequest('create', ctx({ partner_id: 'P', app_id: 'A' }), item(null, record));
    expect(request).toMatchObject({ method: 'POST', url: 'https://proxy.example.test/personio/v2/persons' });
    expect(request.headers).toMatchObject({ 'x-personio-partner-id': 'P', 'x-personio-app-id': 'A' });
    expect(JSON.parse(request.body)).toEqual({
      first_name: 'Ada',
      last_name: 'L',
      employments: [{ office: { id: '42' }, org_units: [{ id: 'd7', type: 'department' }] }],
    });
  });

  it('updates the person and withdraws by ending the employment; a withdraw without ids is refused', () => {
    expect(personio.buildRequest('update', ctx(), item('12/e-1'))).toMatchObject({
      method: 'PATCH',
      url: 'https://proxy.example.test/personio/v2/persons/12',
    });
    const withdraw = personio.buildRequest('withdraw', ctx(), item('12/e-1'));
    expect(withdraw).toMatchObject({
      method: 'PATCH',
      url: 'https://proxy.example.test/personio/v2/persons/12/employments/e-1',
    });
    expect(JSON.parse(withdraw.body)).toEqual({ status: 'INACTIVE' });
    expect(() => personio.buildRequest('withdraw', ctx(), item(null))).toThrow(/employment id/);
  });

  it('rehires by making the withdrawn employment current again, with its new start date', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    const record = {
      first_name: 'Ada',
      last_name: 'L',
      'employment.start_date': '2027-06-01',
      'employment.position.title': 'SRE',
    };
    const rehire = personio.buildRequest('rehire', { ...ctx(), now }, item('12/e-1', record));
    expect(rehire).toMatchObject({
      method: 'PATCH',
      url: 'https://proxy.example.test/personio/v2/persons/12/employments/e-1',
      headers: { 'idempotency-key': 'k' },
    });
    expect(JSON.parse(rehire.body)).toEqual({
      employment_start_date: '2027-06-01',
      position: { title: 'SRE' },
      status: 'ONBOARDING',
    });
    expect(() => personio.buildRequest('rehire', ctx(), item('12'))).toThrow(/employment id/);
  });

  it("a rehire's status: the mapped one unless INACTIVE, else ONBOARDING before the start date and ACTIVE from it", () => {
    const now = new Date('2026-12-07T10:00:00Z');
    expect(rehireStatus({ 'employment.status': 'ACTIVE', 'employment.start_date': '2027-01-01' }, now)).toBe('ACTIVE');
    expect(rehireStatus({ 'employment.status': 'INACTIVE', 'employment.start_date': '2027-01-01' }, now)).toBe(
      'ONBOARDING',
    );
    expect(rehireStatus({ 'employment.start_date': '2026-12-07' }, now)).toBe('ACTIVE');
    expect(rehireStatus({}, now)).toBe('ACTIVE');
  });

  it('links to the employee only when the company subdomain is known', () => {
    expect(personio.recordUrl?.(personio.settings.parse({}), '12/e-1')).toBeNull();
    expect(personio.recordUrl?.(personio.settings.parse({ company_subdomain: 'acme' }), '12/e-1')).toBe(
      'https://acme.app.personio.com/staff/details/12',
    );
    expect(personio.settings.safeParse({ company_subdomain: 'acme.evil/x' }).success).toBe(false);
  });

  it('every default mapping target is a Personio field, and the required ones are mapped', () => {
    const keys = new Set(personio.targetFields.map((f) => f.key));
    for (const key of Object.keys(personio.defaultMapping)) expect(keys.has(key)).toBe(true);
    for (const f of personio.targetFields.filter((t) => t.requiredOn.includes('create'))) {
      expect(personio.defaultMapping[f.key]).toBeDefined();
    }
  });
});
