import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import * as auditExportRoute from '@/app/api/v1/audit/export/route';
import * as auditRoute from '@/app/api/v1/audit/route';
import * as deliveriesExportRoute from '@/app/api/v1/sync-admin/tasks/[id]/deliveries/export/route';
import * as deliveriesRoute from '@/app/api/v1/sync-admin/tasks/[id]/deliveries/route';
import * as tasksExportRoute from '@/app/api/v1/sync-admin/tasks/export/route';
import * as tasksRoute from '@/app/api/v1/sync-admin/tasks/route';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Actor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { getLogger } from '@/lib/logger';
import { stopSender } from '@/lib/queue/sender';
import { parseCsv } from '@/lib/recruiting/csv';
import { callRoute, createTestToken, createTestUser, type TestUser } from '@/test/fixtures';
import { ago, HOUR, insertPosting, insertRun, insertSource } from '@/test/sync-history-fixtures';
import { exportAuditEvents, exportAuditQuerySchema } from './audit';
import { exportDeliveriesQuerySchema, exportTaskDeliveries } from './deliveries';
import { exportTasks, exportTasksQuerySchema } from './tasks';

let admin: TestUser;
let adminActor: Actor;
let token: string;
let sourceA: string;
let sourceB: string;
let posting: Awaited<ReturnType<typeof insertPosting>>;
let other: Awaited<ReturnType<typeof insertPosting>>;
let bigRun: string;
const HOSTILE_ERROR = '=HYPERLINK("http://evil.example","click"), "quoted"\r\nsecond line';

/** Every item of a list route, page after page, as the page would show them. */
async function walk(handler: typeof tasksRoute.GET, path: string, params?: Record<string, string>) {
  const items: unknown[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await callRoute(handler, {
      path: `${path}${sep}limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      params,
      auth: { token },
    });
    expect(res.status).toBe(200);
    items.push(...res.body.data);
    cursor = res.body.next_cursor;
  } while (cursor);
  return items;
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

/** A CSV file as objects keyed by its header row. */
function csvRecords(text: string): Record<string, string>[] {
  const [head, ...rows] = parseCsv(text).map((r) => r.fields);
  return rows.map((fields) => Object.fromEntries(head.map((h, i) => [h, fields[i]])));
}

beforeAll(async () => {
  admin = await createTestUser('admin');
  adminActor = { kind: 'user', id: admin.id, email: admin.email, name: admin.name, role: 'admin', via: 'token' };
  token = await createTestToken(admin);
  sourceA = await insertSource('Export Alpha');
  sourceB = await insertSource('Export Beta');
  posting = await insertPosting(12);
  other = await insertPosting(1);
  const statuses = ['completed', 'partially_failed', 'failed'] as const;
  for (let i = 0; i < 23; i++) {
    await insertRun({
      postingId: i % 4 === 0 ? other.id : posting.id,
      status: statuses[i % 3],
      // Every third run shares its timestamp with the one before: the keyset must break ties.
      createdAt: ago((i % 3 === 2 ? i - 1 : i) * HOUR + 60_000),
      trigger: i % 2 ? 'api' : 'manual',
      requestedBy: admin.id,
      deliveries: [
        {
          sourceId: sourceA,
          candidateId: (i % 4 === 0 ? other : posting).candidates[0].id,
          status: statuses[i % 3] === 'completed' ? 'succeeded' : 'failed',
          errorCode: statuses[i % 3] === 'completed' ? undefined : 'rejected',
          errorMessage: statuses[i % 3] === 'completed' ? undefined : HOSTILE_ERROR,
        },
      ],
    });
  }
  // The engine's summary of a failure quotes the target's answer: anything a target sends.
  await getDb()
    .updateTable('sync_runs')
    .set({ error_summary: HOSTILE_ERROR })
    .where('status', '=', 'failed')
    .where('job_posting_id', '=', posting.id)
    .execute();
  // One run with 24 deliveries over two sources, for the deliveries export.
  bigRun = await insertRun({
    postingId: posting.id,
    status: 'partially_failed',
    createdAt: ago(30 * HOUR),
    deliveries: posting.candidates.flatMap((c, i) => [
      { sourceId: sourceB, candidateId: c.id, status: i % 3 ? ('succeeded' as const) : ('failed' as const) },
      { sourceId: sourceA, candidateId: c.id, status: i % 2 ? ('succeeded' as const) : ('skipped' as const) },
    ]),
  });
});

afterAll(async () => {
  await stopSender();
});

describe('GET /api/v1/sync-admin/tasks/export', () => {
  it('downloads, as JSON Lines, exactly the runs the list shows for the same filters, every page', async () => {
    const filters = `status=failed,partially_failed&posting=${posting.slug}&trigger=api`;
    const shown = await walk(tasksRoute.GET, `/api/v1/sync-admin/tasks?${filters}`);
    expect(shown.length).toBeGreaterThan(3);
    const res = await callRoute(tasksExportRoute.GET, {
      path: `/api/v1/sync-admin/tasks/export?${filters}&format=jsonl`,
      auth: { token },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="sync-tasks-\d{8}T\d{6}Z\.jsonl"$/);
    expect(jsonLines(res.body as string)).toEqual(shown);

    // Across reads of a few rows each (keyset pages), with ties on the creation time.
    const everything = await walk(tasksRoute.GET, '/api/v1/sync-admin/tasks');
    const query = exportTasksQuerySchema.parse({ format: 'jsonl' });
    const paged = await exportTasks(getDb(), adminActor, query, getLogger(), 4);
    expect(jsonLines(await paged.text())).toEqual(everything);
  });

  it('writes RFC 4180 CSV with a header row and CRLF, and keeps formulas as text', async () => {
    const res = await callRoute(tasksExportRoute.GET, {
      path: `/api/v1/sync-admin/tasks/export?status=failed&posting=${posting.slug}`,
      auth: { token },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toMatch(/filename="sync-tasks-\d{8}T\d{6}Z\.csv"$/);
    const text = res.body as string;
    expect(text.startsWith('task_id,status,posting_slug,posting_title,trigger,')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const records = csvRecords(text);
    const shown = (await walk(tasksRoute.GET, `/api/v1/sync-admin/tasks?status=failed&posting=${posting.slug}`)) as {
      task_id: string;
      error_summary: string | null;
    }[];
    expect(records.map((r) => r.task_id)).toEqual(shown.map((t) => t.task_id));
    expect(records.every((r) => r.status === 'failed' && r.posting_slug === posting.slug)).toBe(true);
    expect(shown.every((t) => t.error_summary === HOSTILE_ERROR)).toBe(true);
    // Quoted (comma, quotes, line break), quotes doubled, and the formula prefixed with a quote.
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click""), ""quoted""\r\nsecond line"\r\n`);
    expect(records.every((r) => r.error_summary === `'${HOSTILE_ERROR}`)).toBe(true);
    expect(records[0].force).toBe('false');
  });

  it('answers a bad format or filter with the JSON error before any byte of a file', async () => {
    for (const query of ['format=xlsx', 'status=bogus', 'limit=10', 'q=a%20b', 'from=yesterday']) {
      const res = await callRoute(tasksExportRoute.GET, {
        path: `/api/v1/sync-admin/tasks/export?${query}`,
        auth: { token },
      });
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('content-disposition')).toBeNull();
      expect(res.body.error.code).toBe('invalid_query');
    }
    const none = await callRoute(tasksExportRoute.GET, {
      path: '/api/v1/sync-admin/tasks/export?posting=no-such-posting&format=csv',
      auth: { token },
    });
    expect(none.status).toBe(200);
    expect(none.body).toBe(
      'task_id,status,posting_slug,posting_title,trigger,requested_by,requested_by_id,force,created_at,started_at,finished_at,total,succeeded,failed,skipped,cancelled,error_summary\r\n',
    );
  });

  it('is for admins only, as the list', async () => {
    const recruiter = await createTestUser('recruiter');
    const path = '/api/v1/sync-admin/tasks/export';
    expect((await callRoute(tasksExportRoute.GET, { path, auth: { session: recruiter } })).status).toBe(403);
    expect(
      (await callRoute(tasksExportRoute.GET, { path, auth: { token: await createTestToken(recruiter) } })).status,
    ).toBe(403);
    expect((await callRoute(tasksExportRoute.GET, { path })).status).toBe(401);
    expect((await callRoute(tasksExportRoute.GET, { path, auth: { session: admin } })).status).toBe(200);
  });
});

describe('GET /api/v1/sync-admin/tasks/{id}/deliveries/export', () => {
  it('downloads every delivery of the run the list shows, by source name, with the list filters', async () => {
    const shown = (await walk(deliveriesRoute.GET, '/api/v1/sync-admin/tasks/x/deliveries', { id: bigRun })) as {
      id: string;
    }[];
    expect(shown).toHaveLength(24);
    const query = exportDeliveriesQuerySchema.parse({ format: 'jsonl' });
    // Reads of 5 rows: several pages per source, and a page boundary at the change of source.
    const res = await exportTaskDeliveries(getDb(), adminActor, bigRun, query, getLogger(), 5);
    expect(res.headers.get('content-disposition')).toMatch(
      new RegExp(`filename="sync-task-${bigRun.slice(0, 8)}-deliveries-\\d{8}T\\d{6}Z\\.jsonl"`),
    );
    const lines = jsonLines(await res.text());
    expect(lines).toHaveLength(24);
    const byId = new Map(shown.map((d) => [d.id, d]));
    for (const line of lines) expect(line).toEqual({ task_id: bigRun, ...(byId.get(line.id) as object) });
    // Source by name (Alpha before Beta), then candidate id.
    const order = lines.map((l) => `${l.source.name}/${l.candidate.id}`);
    expect(order).toEqual([...order].sort());
    expect(lines[0].source.name).toBe('Export Alpha');

    const filtered = await callRoute(deliveriesExportRoute.GET, {
      path: `/api/v1/sync-admin/tasks/${bigRun}/deliveries/export?status=failed,skipped&source=${sourceB}`,
      params: { id: bigRun },
      auth: { token },
    });
    expect(filtered.status).toBe(200);
    const rows = csvRecords(filtered.body as string);
    const expected = (await walk(deliveriesRoute.GET, `/x?status=failed,skipped&source=${sourceB}`, {
      id: bigRun,
    })) as {
      id: string;
    }[];
    expect(rows.map((r) => r.delivery_id).sort()).toEqual(expected.map((d) => d.id).sort());
    expect(rows.every((r) => r.status === 'failed' && r.source_name === 'Export Beta' && r.task_id === bigRun)).toBe(
      true,
    );
  });

  it('answers an unknown or malformed run and a bad filter with the JSON error', async () => {
    const call = (id: string, query = '') =>
      callRoute(deliveriesExportRoute.GET, { path: `/x${query}`, params: { id }, auth: { token } });
    expect((await call('00000000-0000-4000-8000-000000000000')).body.error.code).toBe('task_not_found');
    expect((await call('nope')).body.error.code).toBe('invalid_task_id');
    const bad = await call(bigRun, '?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_query');
    expect((await call(bigRun, '?format=ndjson')).status).toBe(400);
    const recruiter = await createTestUser('recruiter');
    const forbidden = await callRoute(deliveriesExportRoute.GET, {
      path: '/x',
      params: { id: bigRun },
      auth: { session: recruiter },
    });
    expect(forbidden.status).toBe(403);
  });
});

describe('GET /api/v1/audit/export', () => {
  it('downloads the audit events the page shows for its filters, with secrets scrubbed', async () => {
    const system: Actor = { kind: 'system', name: 'export-test' };
    for (let i = 0; i < 9; i++) {
      await recordAuditEvent(getDb(), {
        actor: i % 2 ? adminActor : system,
        action: i % 3 ? 'source.updated' : 'schedule.created',
        targetType: 'source',
        targetId: sourceA,
        details: { name: `=cmd|' /C calc'!A${i}`, auth: { token: 'tok-SECRET-123' }, password: 'pw-SECRET-456' },
      });
    }
    const shown = await walk(auditRoute.GET, '/api/v1/audit?action=source.*');
    expect(shown.length).toBe(6);
    const jsonl = await callRoute(auditExportRoute.GET, {
      path: '/api/v1/audit/export?action=source.*&format=jsonl',
      auth: { token },
    });
    expect(jsonl.status).toBe(200);
    expect(jsonLines(jsonl.body as string)).toEqual(shown);
    expect(jsonl.body).not.toContain('SECRET');

    const csv = await callRoute(auditExportRoute.GET, { path: '/api/v1/audit/export?actor=system', auth: { token } });
    expect(csv.headers.get('content-disposition')).toMatch(/filename="audit-trail-\d{8}T\d{6}Z\.csv"/);
    expect(csv.body).not.toContain('SECRET');
    const records = csvRecords(csv.body as string);
    expect(records).toHaveLength(5);
    expect(records.every((r) => r.actor_email === 'system:export-test')).toBe(true);
    expect(JSON.parse(records[0].details).name).toMatch(/^=cmd/);

    // Across pages of two.
    const paged = await exportAuditEvents(
      getDb(),
      adminActor,
      exportAuditQuerySchema.parse({ format: 'jsonl' }),
      getLogger(),
      2,
    );
    expect(jsonLines(await paged.text())).toEqual(await walk(auditRoute.GET, '/api/v1/audit'));
  });

  it('refuses a bad range, an unknown filter and a recruiter with the JSON error', async () => {
    const bad = await callRoute(auditExportRoute.GET, {
      path: '/api/v1/audit/export?from=2026-12-02&to=2026-12-01',
      auth: { token },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_query' });
    expect(
      (await callRoute(auditExportRoute.GET, { path: '/api/v1/audit/export?cursor=x', auth: { token } })).status,
    ).toBe(400);
    expect(
      (await callRoute(auditExportRoute.GET, { path: '/api/v1/audit/export?actor=%00', auth: { token } })).status,
    ).toBe(400);
    const recruiter = await createTestUser('recruiter');
    expect(
      (await callRoute(auditExportRoute.GET, { path: '/api/v1/audit/export', auth: { session: recruiter } })).status,
    ).toBe(403);
  });

  it('aborts the download when a read fails after the first page: the client never gets a file that looks complete', async () => {
    const db = getDb();
    const res = await exportAuditEvents(
      db,
      adminActor,
      exportAuditQuerySchema.parse({ format: 'csv' }),
      getLogger(),
      2,
    );
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value).startsWith('id,created_at,')).toBe(true);
    await sql`alter table audit_events rename to audit_events_away`.execute(db);
    try {
      const rest = async () => {
        for (;;) if ((await reader.read()).done) return;
      };
      await expect(rest()).rejects.toThrow(/audit_events/);
    } finally {
      await sql`alter table audit_events_away rename to audit_events`.execute(db);
    }
  });
});
