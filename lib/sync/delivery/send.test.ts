import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closeAgents } from '@/lib/http/outbound-client';
import type { ConnectorModule } from '../connectors/contract';
import type { SourceConfig } from '../connectors/types';
import type { ClaimedRow } from '../delivery-repository';
import type { EngineContext } from '../engine-context';
import { sendChunk } from './send';
import { createSourceAuthorizer } from '../connectors/authorize';

// A connector of the named kind (its own body, required target fields, Basic with a fixed
// password), sent to a real HTTP server on 127.0.0.1 through the real outbound client.
const settings = z.strictObject({ company: z.string().min(1) });
const testHr: ConnectorModule<z.infer<typeof settings>> = {
  id: 'test_hr',
  name: 'Test HR',
  docs: [],
  settings,
  settingFields: [{ key: 'company', label: 'Company', hint: 'Its short name' }],
  auth: {
    type: 'basic',
    fields: [{ stores: 'auth_secret', label: 'API key', hint: 'Settings > API' }],
    basicPassword: 'x',
  },
  defaultBaseUrl: () => 'https://api.test-hr.example',
  rateLimit: { requestsPerMinute: null, note: '' },
  targetFields: [
    { key: 'firstName', label: 'First name', type: 'string', requiredOn: ['create'] },
    { key: 'startDate', label: 'Start date', type: 'date', requiredOn: ['create'] },
    { key: 'employmentType', label: 'Employment type', type: 'string', requiredOn: [] },
  ],
  defaultMapping: {
    firstName: { from: 'candidate.first_name' },
    startDate: { from: 'candidate.start_date' },
    employmentType: { from: 'job.employment_type' },
  },
  actions: ['create'],
  itemsPerRequest: () => 1,
  buildRequest: (_action, { source, settings }, items) => ({
    url: `${source.baseUrl}/v1/${settings.company}/employees`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...items[0].record }),
  }),
  interpret: (_action, _ctx, items, result) =>
    items.map(({ item }) => ({
      deliveryId: item.deliveryId,
      kind: result.ok && result.status === 201 ? 'succeeded' : 'failed',
      httpStatus: result.ok ? result.status : null,
      errorCode: null,
      errorMessage: null,
      externalId: result.ok
        ? String(result.headers.location ?? '')
            .split('/')
            .pop() || null
        : null,
      responseExcerpt: null,
      retryAfterMs: null,
      durationMs: result.durationMs,
    })),
  connectionTest: { request: () => ({ url: '', method: 'GET', headers: {}, body: '' }), explain: () => null },
};

let server: Server;
let baseUrl: string;
const received: { url: string; authorization: string | undefined; body: string }[] = [];

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    received.push({ url: req.url ?? '', authorization: req.headers.authorization, body: await readBody(req) });
    res.writeHead(201, { location: `/v1/acme/employees/${100 + received.length}` }).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await closeAgents();
  server.close();
});

beforeEach(() => {
  received.length = 0;
});

let sourceCount = 0;
function source(patch: Partial<SourceConfig> = {}): SourceConfig {
  sourceCount += 1;
  return {
    id: `00000000-0000-4000-8000-${String(sourceCount).padStart(12, '0')}`,
    name: 'Test HR',
    connector: 'test_hr',
    baseUrl,
    syncEndpoint: '',
    httpMethod: 'POST',
    authType: 'basic',
    authHeaderName: null,
    authUsername: null,
    authTokenUrl: null,
    authScope: null,
    authClientAuth: null,
    authSecret: 'api-key-0123456789',
    signingSecret: null,
    signingMode: 'standard',
    headers: {},
    fieldMapping: {},
    settings: { company: 'acme' },
    timeoutMs: 5000,
    maxConcurrency: 2,
    batchSize: 1,
    maxAttempts: 3,
    maxRequestsPerMinute: null,
    updatedAt: '2026-12-06T00:00:00.000Z',
    ...patch,
  };
}

function row(n: number, startDate: string | null): ClaimedRow {
  return {
    id: `00000000-0000-4000-9000-00000000000${n}`,
    run_id: '00000000-0000-4000-a000-000000000001',
    candidate_id: `00000000-0000-4000-b000-00000000000${n}`,
    idempotency_key: `key-${n}`,
    attempts: 1,
    action: 'create',
    external_id: null,
    record_hash: null,
    first_name: `Ada${n}`,
    last_name: 'Lovelace',
    email: `ada${n}@example.test`,
    phone: null,
    hired_at: new Date('2026-12-01T00:00:00Z'),
    start_date: startDate,
    job_id: '00000000-0000-4000-c000-000000000001',
    slug: 'eng',
    title: 'Engineer',
    department: null,
    location: null,
    employment_type: 'part_time',
  };
}

// No OAuth2 source here: the authorizer sends straight through the outbound client, with no database.
const log = pino({ level: 'silent' });
const ctx = {
  log,
  retryDelaySeconds: 1,
  authorizer: createSourceAuthorizer({ db: null as never, keyring: null as never, log }),
} as unknown as EngineContext;

describe('sendChunk through a connector module', () => {
  it('sends the mapped record with the engine-added credentials, and reads the created id', async () => {
    const [settled] = await sendChunk(ctx, source(), testHr, [row(1, '2027-01-04')]);
    expect(received).toHaveLength(1);
    expect(received[0].url).toBe('/v1/acme/employees');
    expect(JSON.parse(received[0].body)).toEqual({
      firstName: 'Ada1',
      startDate: '2027-01-04',
      employmentType: 'part_time',
    });
    // The stored secret is the Basic user, the connector's fixed password the password.
    expect(received[0].authorization).toBe(`Basic ${Buffer.from('api-key-0123456789:x').toString('base64')}`);
    expect(settled).toMatchObject({ status: 'succeeded', externalId: '101', httpStatus: 201 });
    expect(JSON.stringify(settled.request)).not.toContain(Buffer.from('api-key-0123456789:x').toString('base64'));
  });

  it('fails a candidate missing a required field, naming it, and sends only the others', async () => {
    const settled = await sendChunk(ctx, source(), { ...testHr, itemsPerRequest: () => 2 }, [
      row(1, null),
      row(2, '2027-02-01'),
    ]);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0].body)).toMatchObject({ firstName: 'Ada2' });
    const byId = new Map(settled.map((s) => [s.deliveryId, s]));
    expect(byId.get(row(1, null).id)).toMatchObject({
      status: 'failed',
      errorCode: 'missing_field',
      httpStatus: null,
      request: null,
    });
    expect(byId.get(row(1, null).id)?.errorMessage).toContain('startDate (from candidate.start_date)');
    expect(byId.get(row(2, null).id)).toMatchObject({ status: 'succeeded' });
  });

  it('sends nothing when the stored settings fail the connector schema, or the connector is unknown', async () => {
    const bad = await sendChunk(ctx, source({ settings: { company: '' } }), testHr, [row(1, '2027-01-04')]);
    expect(bad[0]).toMatchObject({ status: 'failed', errorCode: 'invalid_settings' });
    expect(bad[0].errorMessage).toContain('settings.company');
    const unknown = await sendChunk(ctx, source({ connector: 'gone' }), undefined, [row(1, '2027-01-04')]);
    expect(unknown[0]).toMatchObject({ status: 'failed', errorCode: 'unknown_connector' });
    expect(received).toHaveLength(0);
  });

  it('parses settings once per source version: a changed source is read again', async () => {
    const first = source();
    await sendChunk(ctx, first, testHr, [row(1, '2027-01-04')]);
    // Same id and updatedAt: the parsed settings of the first call are used.
    await sendChunk(ctx, { ...first, settings: { company: 'other' } }, testHr, [row(1, '2027-01-04')]);
    await sendChunk(ctx, { ...first, settings: { company: 'other' }, updatedAt: '2026-12-07T00:00:00.000Z' }, testHr, [
      row(1, '2027-01-04'),
    ]);
    expect(received.map((r) => r.url)).toEqual(['/v1/acme/employees', '/v1/acme/employees', '/v1/other/employees']);
  });
});
