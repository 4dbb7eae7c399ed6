import { afterEach, describe, expect, it } from 'vitest';
import { actionItem, connectorSource, exchange, runConnectionTest, targetRecord } from '@/test/connector-harness';
import { type FakeBambooHr, startFakeBambooHr } from '@/test/fakes/bamboohr';
import { bamboohr } from './bamboohr';

/**
 * The module's requests sent to the local BambooHR through the one outbound client (loopback opened
 * by OUTBOUND_ALLOW_CIDRS in vitest.config.ts), with the credentials applied from its auth
 * declaration, and the answers read back by the module.
 */

let fake: FakeBambooHr | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Parameters<typeof startFakeBambooHr>[0] = {}, key?: string) {
  fake = await startFakeBambooHr(options);
  const source = connectorSource('bamboohr', fake.baseUrl, { secret: key ?? fake.apiKey });
  return { source, settings: { company_domain: fake.companyDomain }, now: new Date('2026-12-06T12:00:00Z') };
}

const hire = targetRecord({
  firstName: 'Ada',
  lastName: 'Lovelace',
  homeEmail: 'ada@example.com',
  hireDate: '2027-01-04',
  jobTitle: 'Backend Engineer',
  department: 'Engineering',
  location: 'Berlin',
  employmentHistoryStatus: 'Full-Time',
});

describe('BambooHR module against the fake', () => {
  it('creates the employee and reads its id from Location; then updates and withdraws the same record', async () => {
    const ctx = await setup();
    const created = await exchange(bamboohr, 'create', ctx, [actionItem(hire)]);
    expect(created.outcomes[0]).toMatchObject({ kind: 'succeeded', httpStatus: 201 });
    const id = created.outcomes[0].externalId!;
    expect(id).toMatch(/^\d+$/);
    expect(fake!.employees.get(id)).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      hireDate: '2027-01-04',
      status: 'Active',
    });
    const [received] = await fake!.waitForRequests(1);
    expect(received.headers.authorization).toBe(`Basic ${Buffer.from(`${fake!.apiKey}:x`).toString('base64')}`);
    expect(received.headers.accept).toBe('application/json');

    const updated = await exchange(bamboohr, 'update', ctx, [
      actionItem(targetRecord({ ...hire, lastName: 'King' }), id),
    ]);
    expect(updated.outcomes[0]).toMatchObject({ kind: 'succeeded', externalId: id, httpStatus: 200 });
    expect(fake!.employees.get(id)?.lastName).toBe('King');

    const withdrawn = await exchange(bamboohr, 'withdraw', ctx, [actionItem(hire, id)]);
    expect(withdrawn.outcomes[0]).toMatchObject({ kind: 'succeeded', externalId: id });
    expect(fake!.employees.get(id)?.status).toBe('Inactive');
    expect(fake!.employees.size).toBe(1);
  });

  it("a missing last name fails with BambooHR's answer naming the field, nothing created", async () => {
    const ctx = await setup();
    const { outcomes } = await exchange(bamboohr, 'create', ctx, [
      actionItem(targetRecord({ ...hire, lastName: null })),
    ]);
    expect(outcomes[0]).toMatchObject({ kind: 'failed', errorCode: 'item_rejected', httpStatus: 400 });
    expect(outcomes[0].errorMessage).toBe('HTTP 400: Missing required field: lastName');
    expect(fake!.employees.size).toBe(0);
  });

  it('a wrong API key is auth_failed, and the key never appears in what we keep', async () => {
    const ctx = await setup({}, 'not-the-key-0000');
    const { outcomes } = await exchange(bamboohr, 'create', ctx, [actionItem(hire)]);
    expect(outcomes[0]).toMatchObject({
      kind: 'failed',
      errorCode: 'auth_failed',
      httpStatus: 401,
      errorMessage: 'HTTP 401: Invalid API key',
    });
    expect(JSON.stringify(outcomes)).not.toContain('not-the-key-0000');
    expect(fake!.employees.size).toBe(0);
  });

  it('429 is retried after the Retry-After BambooHR sent, and the retry creates the employee once', async () => {
    const ctx = await setup();
    fake!.rateLimit.next(1, 9);
    const throttled = await exchange(bamboohr, 'create', ctx, [actionItem(hire)]);
    expect(throttled.outcomes[0]).toMatchObject({
      kind: 'retry',
      errorCode: 'rate_limited',
      httpStatus: 429,
      retryAfterMs: 9000,
    });
    expect(fake!.employees.size).toBe(0);
    const retried = await exchange(bamboohr, 'create', ctx, [actionItem(hire)]);
    expect(retried.outcomes[0].kind).toBe('succeeded');
    expect(fake!.employees.size).toBe(1);
  });

  it('the connection test passes with the key and names the missing access without it', async () => {
    let ctx = await setup();
    const test = () => runConnectionTest(bamboohr, ctx);
    expect(await test()).toBeNull();
    await fake!.close();
    ctx = await setup({ access: 'no_access' });
    expect(await test()).toMatch(
      /^The API key works but its user lacks access \(BambooHR said: You do not have access to this resource\)/,
    );
    await fake!.close();
    ctx = await setup({}, 'wrong-key-123');
    expect(await test()).toMatch(/did not accept the API key/);
  });
});
