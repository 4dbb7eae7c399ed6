import { afterEach, describe, expect, it } from 'vitest';
import { actionItem, connectorSource, exchange, runConnectionTest, targetRecord } from '@/test/connector-harness';
import { type FakeHiBob, startFakeHiBob } from '@/test/fakes/hibob';
import { hibob } from './hibob';

/**
 * The module's requests sent to the local HiBob through the one outbound client (loopback opened by
 * OUTBOUND_ALLOW_CIDRS in vitest.config.ts), with the credentials applied from its auth
 * declaration, and the answers read back by the module.
 */

let fake: FakeHiBob | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Parameters<typeof startFakeHiBob>[0] = {}, token?: string) {
  fake = await startFakeHiBob(options);
  const source = connectorSource('hibob', fake.baseUrl, { username: fake.serviceUserId, secret: token ?? fake.token });
  return { source, settings: {}, now: new Date('2026-12-06T12:00:00Z') };
}

const hire = targetRecord({
  firstName: 'Ada',
  surname: 'Lovelace',
  email: 'ada@example.com',
  'work.site': 'Berlin',
  'work.startDate': '2027-01-04',
});

describe('HiBob module against the fake', () => {
  it('creates the person and reads its id; then updates and terminates the same record', async () => {
    const ctx = await setup();
    const created = await exchange(hibob, 'create', ctx, [actionItem(hire)]);
    expect(created.outcomes[0]).toMatchObject({ kind: 'succeeded', httpStatus: 200 });
    const id = created.outcomes[0].externalId!;
    expect(fake!.employees.get(id)).toMatchObject({
      firstName: 'Ada',
      work: { site: 'Berlin', startDate: '2027-01-04' },
    });
    const [received] = await fake!.waitForRequests(1);
    expect(received.headers.authorization).toBe(
      `Basic ${Buffer.from(`${fake!.serviceUserId}:${fake!.token}`).toString('base64')}`,
    );

    const updated = await exchange(hibob, 'update', ctx, [actionItem(targetRecord({ ...hire, surname: 'King' }), id)]);
    expect(updated.outcomes[0]).toMatchObject({ kind: 'succeeded', externalId: id, httpStatus: 200 });
    expect(fake!.employees.get(id)?.surname).toBe('King');
    const unchanged = await exchange(hibob, 'update', ctx, [
      actionItem(targetRecord({ ...hire, surname: 'King' }), id),
    ]);
    expect(unchanged.outcomes[0]).toMatchObject({ kind: 'succeeded', httpStatus: 304 });

    const withdrawn = await exchange(hibob, 'withdraw', ctx, [actionItem(hire, id)]);
    expect(withdrawn.outcomes[0]).toMatchObject({ kind: 'succeeded', externalId: id });
    // A hire who has not started is terminated on the start date: Bob refuses an earlier one.
    expect(fake!.employees.get(id)?.lifecycle).toEqual({ status: 'terminated', terminationDate: '2027-01-04' });
  });

  it("a missing work site fails with Bob's answer naming the field, nothing created", async () => {
    const ctx = await setup();
    const { outcomes } = await exchange(hibob, 'create', ctx, [
      actionItem(targetRecord({ ...hire, 'work.site': null })),
    ]);
    expect(outcomes[0]).toMatchObject({ kind: 'failed', errorCode: 'item_rejected', httpStatus: 400 });
    expect(outcomes[0].errorMessage).toBe('HTTP 400: Missing required field: work.site');
    expect(fake!.employees.size).toBe(0);
  });

  it('a wrong token is auth_failed, and the token never appears in what we keep', async () => {
    const ctx = await setup({}, 'wrong-token-5555');
    const { outcomes } = await exchange(hibob, 'create', ctx, [actionItem(hire)]);
    expect(outcomes[0]).toMatchObject({ kind: 'failed', errorCode: 'auth_failed', httpStatus: 401 });
    expect(outcomes[0].errorMessage).toBe('HTTP 401: Invalid service user credentials');
    expect(JSON.stringify(outcomes)).not.toContain('wrong-token-5555');
  });

  it('429 is retried when Bob says the window resets, and the retry creates the person once', async () => {
    const ctx = await setup();
    fake!.rateLimit.next(1, 20);
    const throttled = await exchange(hibob, 'create', ctx, [actionItem(hire)]);
    expect(throttled.outcomes[0]).toMatchObject({ kind: 'retry', errorCode: 'rate_limited', httpStatus: 429 });
    expect(throttled.outcomes[0].retryAfterMs).toBeGreaterThan(10_000);
    expect(throttled.outcomes[0].retryAfterMs).toBeLessThanOrEqual(21_000);
    expect(fake!.employees.size).toBe(0);
    const retried = await exchange(hibob, 'create', ctx, [actionItem(hire)]);
    expect(retried.outcomes[0].kind).toBe('succeeded');
    expect(fake!.employees.size).toBe(1);
  });

  it('the connection test proves the service user; a missing right is named by the first create it stops', async () => {
    let ctx = await setup();
    expect(await runConnectionTest(hibob, ctx)).toBeNull();
    await fake!.close();
    // Bob answers the fields metadata whatever the permission group holds: the test passes...
    ctx = await setup({ permissions: ['update', 'terminate'] });
    expect(await runConnectionTest(hibob, ctx)).toBeNull();
    // ...and the create names what is missing.
    const denied = await exchange(hibob, 'create', ctx, [actionItem(hire)]);
    expect(denied.outcomes[0]).toMatchObject({
      kind: 'failed',
      errorCode: 'auth_failed',
      errorMessage: expect.stringMatching(/create employees/),
    });
    await fake!.close();
    ctx = await setup({}, 'wrong');
    expect(await runConnectionTest(hibob, ctx)).toMatch(/did not accept the service user/);
  });
});
