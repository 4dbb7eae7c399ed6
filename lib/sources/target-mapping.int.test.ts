import { beforeAll, describe, expect, it } from 'vitest';
import * as connectorsRoute from '@/app/api/v1/connectors/route';
import * as sourceById from '@/app/api/v1/sources/[id]/route';
import * as sourcesRoute from '@/app/api/v1/sources/route';
import { getDb } from '@/lib/db';
import { MAPPABLE_PATHS } from '@/lib/sync/mapping';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';

/**
 * A source's own mapping onto its connector's target fields (issue 20, item 5) through the API:
 * saved and answered as given, every misfit a 422 naming its path, nothing half-saved.
 */

let auth: { token: string };
beforeAll(async () => {
  auth = { token: await createTestToken(await createTestUser('admin')) };
});

const post = (body: Record<string, unknown>) => callRoute(sourcesRoute.POST, { method: 'POST', auth, body });
const patch = (id: string, body: Record<string, unknown>) =>
  callRoute(sourceById.PATCH, { method: 'PATCH', params: { id }, auth, body });
const get = (id: string) => callRoute(sourceById.GET, { params: { id }, auth });

const bobMapping = {
  firstName: { from: 'candidate.first_name', transforms: [{ kind: 'trim' }] },
  surname: { from: 'candidate.last_name', transforms: [{ kind: 'trim' }, { kind: 'upper' }] },
  email: { from: 'candidate.email', transforms: [{ kind: 'lower' }] },
  'work.site': {
    from: 'job.location',
    transforms: [{ kind: 'map', values: { Berlin: 'Berlin HQ', Munich: 'Munich Office' }, otherwise: 'Remote' }],
  },
  'work.startDate': {
    from: 'candidate.start_date',
    transforms: [{ kind: 'date', format: 'yyyy-MM-dd' }],
    default: '2027-01-01',
  },
  'work.title': { value: 'Engineer' },
};

const bobSource = (name: string, patchBody: Record<string, unknown> = {}) => ({
  name,
  connector: 'hibob',
  settings: {},
  base_url: 'https://api.hibob.example.test/v1',
  auth: { type: 'basic', username: 'SERVICE-1', password: 'bob-token-123456' },
  ...patchBody,
});

async function stored(name: string) {
  return getDb()
    .selectFrom('sources')
    .select(['connector', 'target_mapping', 'updated_at'])
    .where('name', '=', name)
    .execute();
}

/** A create that must be refused with 422 validation_failed naming `path`, and leave no source behind. */
async function refusedCreate(name: string, body: Record<string, unknown>, path: string, message?: RegExp) {
  const res = await post(body);
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(res.body.error.code).toBe('validation_failed');
  const detail = res.body.error.details.find((d: { path: string }) => d.path === path);
  expect(detail, JSON.stringify(res.body.error.details)).toBeDefined();
  if (message) expect(detail.message).toMatch(message);
  expect(await stored(name)).toEqual([]);
  return res.body.error;
}

describe('target_mapping on a source', () => {
  it('round-trips a valid custom mapping on create, GET and PATCH, and null goes back to the default', async () => {
    const created = await post(bobSource('Bob custom', { target_mapping: bobMapping }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.target_mapping).toEqual(bobMapping);
    expect((await get(created.body.id)).body.target_mapping).toEqual(bobMapping);
    expect((await stored('Bob custom'))[0].target_mapping).toEqual(bobMapping);

    const changed = { ...bobMapping, 'work.title': { from: 'job.title' } };
    const patched = await patch(created.body.id, { target_mapping: changed });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.target_mapping).toEqual(changed);

    const reset = await patch(created.body.id, { target_mapping: null });
    expect(reset.status).toBe(200);
    expect(reset.body.target_mapping).toBeNull();
    expect((await stored('Bob custom'))[0].target_mapping).toBeNull();

    const plain = await post(bobSource('Bob default'));
    expect(plain.status).toBe(201);
    expect(plain.body.target_mapping).toBeNull();
  });

  it('refuses a key that is not one of the connector fields: target_mapping.<key>', async () => {
    await refusedCreate(
      'Bob nickname',
      bobSource('Bob nickname', { target_mapping: { ...bobMapping, nickname: { from: 'candidate.first_name' } } }),
      'target_mapping.nickname',
      /is not a field of HiBob/,
    );
  });

  it('refuses a from that is not a mappable path: target_mapping.<key>.from', async () => {
    await refusedCreate(
      'Bob salary',
      bobSource('Bob salary', { target_mapping: { ...bobMapping, firstName: { from: 'candidate.salary' } } }),
      'target_mapping.firstName.from',
      /candidate\.first_name/,
    );
  });

  it('refuses a mapping that leaves a field required on create without a rule: "required by HiBob"', async () => {
    const { 'work.site': _site, ...withoutSite } = bobMapping;
    const error = await refusedCreate(
      'Bob no site',
      bobSource('Bob no site', { target_mapping: withoutSite }),
      'target_mapping.work.site',
      /^required by HiBob$/,
    );
    expect(error.message).toContain('target_mapping.work.site: required by HiBob');
  });

  it('refuses a constant of an enum field that is not one of its values', async () => {
    await refusedCreate(
      'Bamboo gig',
      {
        name: 'Bamboo gig',
        connector: 'bamboohr',
        settings: { company_domain: 'acme' },
        base_url: 'https://bamboo.example.test',
        auth: { type: 'basic', username: 'api-key', password: 'bamboo-key-123456' },
        target_mapping: {
          firstName: { from: 'candidate.first_name' },
          lastName: { from: 'candidate.last_name' },
          employmentHistoryStatus: { value: 'Gig' },
        },
      },
      'target_mapping.employmentHistoryStatus.value',
      /Full-Time/,
    );
  });

  it('refuses a malformed rule, an unknown transform, and constructor/prototype keys, naming the path', async () => {
    await refusedCreate(
      'Bob both',
      bobSource('Bob both', { target_mapping: { ...bobMapping, email: { from: 'candidate.email', value: 'x' } } }),
      'target_mapping.email',
    );
    await refusedCreate(
      'Bob reverse',
      bobSource('Bob reverse', {
        target_mapping: { ...bobMapping, email: { from: 'candidate.email', transforms: [{ kind: 'reverse' }] } },
      }),
      'target_mapping.email.transforms.0.kind',
    );
    await refusedCreate(
      'Bob constructor',
      bobSource('Bob constructor', { target_mapping: { ...bobMapping, constructor: { value: 'x' } } }),
      'target_mapping.constructor',
    );
    await refusedCreate(
      'Bob prototype map',
      bobSource('Bob prototype map', {
        target_mapping: {
          ...bobMapping,
          'work.site': { from: 'job.location', transforms: [{ kind: 'map', values: { prototype: 'x' } }] },
        },
      }),
      'target_mapping.work.site.transforms.0.values.prototype',
    );
    const proto = await callRoute(sourcesRoute.POST, {
      method: 'POST',
      auth,
      rawBody: JSON.stringify(bobSource('Bob proto', { target_mapping: bobMapping })).replace(
        '"work.title":',
        '"__proto__":{"value":"x"},"work.title":',
      ),
      headers: { 'content-type': 'application/json' },
    });
    expect(proto.status).toBe(422);
    expect(await stored('Bob proto')).toEqual([]);
  });

  it('refuses target_mapping on a connector without target fields (generic_webhook, rest_batch)', async () => {
    for (const connector of ['generic_webhook', 'rest_batch']) {
      const name = `Envelope ${connector}`;
      await refusedCreate(
        name,
        {
          name,
          connector,
          base_url: 'https://hr.example.test',
          target_mapping: { email: { from: 'candidate.email' } },
        },
        'target_mapping',
        /field_mapping/,
      );
    }
  });

  it('a bad PATCH changes nothing, not even the fields sent with it', async () => {
    const created = await post(bobSource('Bob patched', { target_mapping: bobMapping }));
    expect(created.status).toBe(201);
    const before = await stored('Bob patched');
    const res = await patch(created.body.id, {
      name: 'Bob renamed',
      target_mapping: { ...bobMapping, firstName: { from: 'candidate.nickname' } },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'target_mapping.firstName.from', message: expect.any(String) }]);
    expect(await stored('Bob patched')).toEqual(before);
    expect(await stored('Bob renamed')).toEqual([]);
  });

  it('a PATCH to another connector that keeps the stored mapping is refused; with target_mapping null it saves', async () => {
    const created = await post(bobSource('Bob to Bamboo', { target_mapping: bobMapping }));
    expect(created.status).toBe(201);
    const before = await stored('Bob to Bamboo');
    const toBamboo = { connector: 'bamboohr', settings: { company_domain: 'acme' } };
    const refused = await patch(created.body.id, toBamboo);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('validation_failed');
    expect(refused.body.error.message).toMatch(/target_mapping: null/);
    expect(refused.body.error.details).toContainEqual({
      path: 'target_mapping.surname',
      message: expect.stringContaining('is not a field of BambooHR'),
    });
    expect(await stored('Bob to Bamboo')).toEqual(before);

    const moved = await patch(created.body.id, { ...toBamboo, target_mapping: null });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ connector: 'bamboohr', target_mapping: null });

    // Checked against the connector of the same request, not the stored one.
    const bobAgain = await patch(created.body.id, { connector: 'hibob', settings: {}, target_mapping: bobMapping });
    expect(bobAgain.status, JSON.stringify(bobAgain.body)).toBe(200);
    expect(bobAgain.body.target_mapping).toEqual(bobMapping);
  });
});

describe('GET /api/v1/connectors', () => {
  it('lists the paths a mapping may read, each with a label', async () => {
    const res = await callRoute(connectorsRoute.GET, { auth });
    expect(res.status).toBe(200);
    expect(res.body.mappable_paths.map((p: { path: string }) => p.path)).toEqual(MAPPABLE_PATHS);
    expect(res.body.mappable_paths).toContainEqual({ path: 'job.location', label: 'Location' });
  });
});
