import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { getOpenApiDocument } from '@/lib/api/openapi/document';
import type { ViewerMay } from '@/lib/api/route';
import { getDb } from '@/lib/db';
import { readScopesOfRole } from '@/lib/tokens/scopes';
import { type Auth, callRoute, createTestToken, createTestUser, type TestUser } from '@/test/fixtures';
import { templateOf, UNDOCUMENTED_ROUTES, withoutTrailingSlash } from '@/test/route-table';
import { insertPosting, insertRun, insertSource } from '@/test/sync-history-fixtures';

/**
 * Issue 23: the viewer role reads everything an admin reads and changes nothing. Walks every route
 * file, so a route added later is covered without anyone remembering to add it here.
 */

const METHODS = ['GET', 'POST', 'PATCH', 'DELETE'] as const;
// Handlers without route(): they never write (health, metrics, the document) or are not ours.
const NOT_ROUTE_WRAPPED = new Set([
  'app/api/auth/[...nextauth]/route.ts',
  'app/api/[...path]/route.ts',
  'app/api/health/route.ts',
  'app/api/health/ready/route.ts',
  'app/api/metrics/route.ts',
  'app/login/submit/route.ts',
  'app/api/openapi.json/route.ts',
  'app/docs/api/scalar.js/route.ts',
]);

type Handler = Parameters<typeof callRoute>[0] & { access?: string; viewerMay?: ViewerMay };
type Call = { method: (typeof METHODS)[number]; file: string; handler: Handler };

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(p);
    return e.name === 'route.ts' ? [p] : [];
  });
}

async function calls(): Promise<Call[]> {
  const found: Call[] = [];
  for (const file of routeFiles('app').filter((f) => !NOT_ROUTE_WRAPPED.has(f))) {
    const mod = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, Handler>;
    for (const method of METHODS) if (mod[method] !== mod.PUT) found.push({ method, file, handler: mod[method] });
  }
  return found;
}

type World = {
  admin: TestUser;
  viewer: TestUser;
  viewerToken: string;
  adminTokenId: string;
  ids: Record<string, string>;
};
let world: World;

/** Values for a route file's params: real rows, so a write that were let through would change them. */
function paramsFor(file: string): Record<string, string> {
  const { ids } = world;
  const dir = path.dirname(file);
  const params: Record<string, string> = {};
  for (const segment of dir.split(path.sep)) {
    const name = /^\[(\w+)\]$/.exec(segment)?.[1];
    if (!name) continue;
    const parent = dir.slice(0, dir.indexOf(segment)).split(path.sep).filter(Boolean).at(-1);
    if (name === 'slug') params.slug = ids.slug;
    else if (name === 'taskId') params.taskId = ids.run;
    else if (name === 'tokenId') params.tokenId = world.adminTokenId;
    else if (name === 'deliveryId')
      params.deliveryId = parent === 'deliveries' && dir.includes('webhooks') ? ids.webhookDelivery : ids.syncDelivery;
    else if (name === 'id') {
      params.id =
        {
          candidates: ids.candidate,
          schedules: ids.schedule,
          sources: ids.source,
          tasks: ids.run,
          tokens: ids.viewerTokenId,
          users: world.admin.id,
          webhooks: ids.webhook,
        }[parent ?? ''] ?? 'unknown';
    }
  }
  return params;
}

function urlOf(file: string, params: Record<string, string>): string {
  return templateOf(file).replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? name);
}

// Bodies an admin or a recruiter could send successfully, so that without the viewer check these
// writes would go through and change what the snapshot below reads.
const BODIES: Record<string, unknown> = {
  'POST /api/v1/jobs': { title: 'Written by a viewer' },
  'PATCH /api/v1/jobs/{slug}': { title: 'Renamed by a viewer' },
  'POST /api/v1/jobs/{slug}/candidates': { first_name: 'Vi', last_name: 'Ewer', email: 'vi@example.test' },
  'PATCH /api/v1/candidates/{id}': { stage: 'rejected' },
  'POST /api/v1/users': { email: 'new@example.test', name: 'New', role: 'admin', password: 'long-enough-pw' },
  'PATCH /api/v1/users/{id}': { role: 'recruiter' },
  'PATCH /api/v1/sources/{id}': { name: 'Renamed by a viewer' },
  'PATCH /api/v1/schedules/{id}': { is_enabled: false },
  'PATCH /api/v1/webhooks/{id}': { name: 'Changed by a viewer' },
  'POST /api/v1/sync-admin/tasks/bulk': { action: 'cancel', ids: [] },
};

/** Every row of every table of ours, and pg-boss's jobs: what a refused write must leave as it was. */
async function snapshot(): Promise<Record<string, string>> {
  const db = getDb();
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    // A token's last use is bookkeeping of the read that authenticated it, not a change the viewer made.
    const row =
      name === 'api_tokens' ? sql`row(t.id, t.name, t.scopes, t.expires_at, t.revoked_at)::text` : sql`t::text`;
    const result = await sql<{ digest: string | null }>`
      select md5(string_agg(${row}, '|' order by ${row})) as digest from ${sql.table(name)} t`.execute(db);
    out[name] = result.rows[0]?.digest ?? 'empty';
  }
  const jobs = await sql<{ n: number }>`select count(*)::int as n from pgboss.job`.execute(db).catch(() => ({
    rows: [{ n: -1 }],
  }));
  out['pgboss.job'] = String(jobs.rows[0].n);
  return out;
}

beforeAll(async () => {
  const db = getDb();
  const admin = await createTestUser('admin');
  const viewer = await createTestUser('viewer');
  const viewerToken = await createTestToken(viewer);
  await createTestToken(admin);
  const adminToken = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('user_id', '=', admin.id)
    .executeTakeFirstOrThrow();
  const viewerTokenRow = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('user_id', '=', viewer.id)
    .executeTakeFirstOrThrow();
  const posting = await insertPosting(2);
  const source = await insertSource('Payroll');
  const run = await insertRun({
    postingId: posting.id,
    status: 'partially_failed',
    createdAt: new Date(Date.now() - 60_000),
    deliveries: [
      { sourceId: source, candidateId: posting.candidates[0].id, status: 'succeeded' },
      { sourceId: source, candidateId: posting.candidates[1].id, status: 'failed', errorMessage: 'HTTP 500' },
    ],
  });
  const schedule = await db
    .insertInto('sync_schedules')
    .values({ name: 'Nightly', cron: '0 2 * * *', scope: 'posting', job_posting_id: posting.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const webhook = await db
    .insertInto('webhook_endpoints')
    .values({
      name: 'Audit hook',
      url: 'http://127.0.0.1:9/hook',
      events: ['sync.completed'],
      secret_encrypted: 'x',
      secret_hint: 'x',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const webhookDelivery = await db
    .insertInto('webhook_deliveries')
    .values({
      endpoint_id: webhook.id,
      event_id: randomUUID(),
      event_type: 'sync.completed',
      body: '{}',
      status: 'failed',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ids: Record<string, string> = {
    slug: posting.slug,
    candidate: posting.candidates[0].id,
    source,
    run,
    schedule: schedule.id,
    webhook: webhook.id,
    webhookDelivery: webhookDelivery.id,
    viewerTokenId: viewerTokenRow.id,
  };
  world = { admin, viewer, viewerToken, adminTokenId: adminToken.id, ids };
  const deliveries = await callRoute(
    (await import('@/app/api/v1/sync-admin/tasks/[id]/deliveries/route')).GET as Handler,
    { auth: { session: admin }, params: { id: run } },
  );
  ids.syncDelivery = deliveries.body.data[0].id;
});

describe('the viewer role', () => {
  it('reads with a GET whatever an admin reads, by session and by a read-only token', async () => {
    const gets = (await calls()).filter((c) => c.method === 'GET');
    expect(gets.length).toBeGreaterThan(30);
    const differ: string[] = [];
    let answered = 0;
    for (const { file, handler } of gets) {
      const params = paramsFor(file);
      const pathname = urlOf(file, params);
      const asAdmin = await callRoute(handler, { path: pathname, params, auth: { session: world.admin } });
      if (asAdmin.status !== 200) continue;
      answered += 1;
      for (const auth of [{ session: world.viewer }, { token: world.viewerToken }] as Auth[]) {
        const asViewer = await callRoute(handler, { path: pathname, params, auth });
        if (asViewer.status !== 200)
          differ.push(
            `GET ${file} (${auth && 'token' in auth ? 'token' : 'session'}): ${asViewer.status} ${JSON.stringify(asViewer.body)}`,
          );
      }
    }
    expect(differ).toEqual([]);
    // Most GETs find their rows; a walk that reached few would prove little.
    expect(answered).toBeGreaterThan(25);
  });

  it('is refused every write with 403 forbidden, by session and by token, and nothing changes', async () => {
    const writes = (await calls()).filter((c) => c.method !== 'GET' && !c.handler.viewerMay);
    expect(writes.length).toBeGreaterThan(30);
    const before = await snapshot();
    const wrong: string[] = [];
    for (const { method, file, handler } of writes) {
      const params = paramsFor(file);
      const template = withoutTrailingSlash(templateOf(file));
      const body = BODIES[`${method} ${template}`] ?? {};
      for (const auth of [{ session: world.viewer }, { token: world.viewerToken }] as Auth[]) {
        const res = await callRoute(handler, { method, path: urlOf(file, params), params, auth, body });
        if (res.status !== 403 || res.body?.error?.code !== 'forbidden') {
          wrong.push(
            `${method} ${file} (${auth && 'token' in auth ? 'token' : 'session'}): ${res.status} ${JSON.stringify(res.body)}`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('says why in the refusal, and a recruiter is still let through the same route', async () => {
    const jobs = await import('@/app/api/v1/jobs/route');
    const refused = await callRoute(jobs.POST, {
      method: 'POST',
      auth: { session: world.viewer },
      body: { title: 'A viewer tries' },
    });
    expect(refused).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', message: 'the viewer role can read but not change anything' } },
    });
    const recruiter = await createTestUser('recruiter');
    const created = await callRoute(jobs.POST, {
      method: 'POST',
      auth: { session: recruiter },
      body: { title: 'Fine' },
    });
    expect(created.status).toBe(201);
  });

  it('may manage only its own API tokens (read scopes only) and preview a source, the writes marked viewerMay', async () => {
    const allowed = (await calls()).filter((c) => c.method !== 'GET' && c.handler.viewerMay);
    expect(allowed.map((c) => `${c.method} ${c.file}:${c.handler.viewerMay}`).sort()).toEqual([
      'DELETE app/api/v1/tokens/[id]/route.ts:own-account',
      'POST app/api/v1/sources/preview/route.ts:read-only',
      'POST app/api/v1/tokens/route.ts:own-account',
    ]);
    const tokens = await import('@/app/api/v1/tokens/route');
    const created = await callRoute(tokens.POST, {
      method: 'POST',
      auth: { session: world.viewer },
      body: { name: 'audit script', scopes: readScopesOfRole('viewer') },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.record.scopes).toEqual(readScopesOfRole('admin'));
    const above = await callRoute(tokens.POST, {
      method: 'POST',
      auth: { session: world.viewer },
      body: { name: 'more', scopes: ['audit:read', 'sources:write'] },
    });
    expect(above.status).toBe(422);
    expect(above.body.error.message).toContain('scopes above the viewer role: sources:write');

    const revoke = await import('@/app/api/v1/tokens/[id]/route');
    const mine = await callRoute(revoke.DELETE, {
      method: 'DELETE',
      auth: { session: world.viewer },
      params: { id: created.body.record.id },
    });
    expect(mine.status).toBe(200);
    const othersToken = await callRoute(revoke.DELETE, {
      method: 'DELETE',
      auth: { session: world.viewer },
      params: { id: world.adminTokenId },
    });
    expect(othersToken.status).toBe(404);
    const adminToken = await getDb()
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('id', '=', world.adminTokenId)
      .executeTakeFirstOrThrow();
    expect(adminToken.revoked_at).toBeNull();

    const preview = await import('@/app/api/v1/sources/preview/route');
    const previewed = await callRoute(preview.POST, {
      method: 'POST',
      auth: { session: world.viewer },
      body: { source_id: world.ids.source },
    });
    expect(previewed.status, JSON.stringify(previewed.body)).toBe(200);
  });

  it('is what the OpenAPI document says a viewer may do (x-viewer-allowed)', async () => {
    const document = getOpenApiDocument() as unknown as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const differ: string[] = [];
    for (const { method, file, handler } of await calls()) {
      if (UNDOCUMENTED_ROUTES.has(file) || handler.access === 'public') continue;
      // The seed URLs are documented with their trailing slash.
      const template = templateOf(file);
      const op = (document.paths[template] ?? document.paths[`${template}/`])?.[method.toLowerCase()];
      const expected = method === 'GET' || handler.viewerMay !== undefined;
      if (op?.['x-viewer-allowed'] !== expected) differ.push(`${method} ${file}: ${String(op?.['x-viewer-allowed'])}`);
    }
    expect(differ).toEqual([]);
  });
});
