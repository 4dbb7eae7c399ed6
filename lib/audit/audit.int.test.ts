import { beforeAll, describe, expect, it } from 'vitest';
import * as actions from '@/app/api/v1/audit/actions/route';
import * as audit from '@/app/api/v1/audit/route';
import { getDb } from '@/lib/db';
import { type TestUser, callRoute, createTestUser } from '@/test/fixtures';

let admin: TestUser;
const BASE = Date.parse('2026-03-01T00:00:00Z');
const ACTORS = ['alice@example.test', 'bob@example.test', 'system:scheduler'];
const ACTIONS = ['source.created', 'source.updated', 'schedule.created', 'auth.signed_in'];

// Fixture rows straight into the table, with chosen times: 120 events a minute apart, and 10 more
// sharing one microsecond so that only the id orders them.
beforeAll(async () => {
  admin = await createTestUser('admin');
  const rows = Array.from({ length: 130 }, (_, i) => ({
    actor_id: null,
    actor_email: ACTORS[i % 3],
    action: ACTIONS[i % 4],
    target_type: 'source',
    target_id: `target-${i}`,
    details: JSON.stringify({ n: i, name: `Source ${i}` }),
    ip: i % 2 ? '203.0.113.7' : null,
    created_at: new Date(i < 120 ? BASE + i * 60_000 : BASE + 200 * 60_000),
  }));
  await getDb().insertInto('audit_events').values(rows).execute();
});

async function list(query: string, as: TestUser = admin) {
  return callRoute(audit.GET, { path: `/api/v1/audit${query}`, auth: { session: as } });
}

async function all(query: string) {
  const seen: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = query ? '&' : '?';
    const res = await list(`${query}${cursor ? `${sep}cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    seen.push(...res.body.data);
    cursor = res.body.next_cursor;
    pages += 1;
  } while (cursor && pages < 100);
  return { events: seen, pages };
}

describe('GET /api/v1/audit', () => {
  it('walks the whole trail newest first in keyset pages, without gaps or repeats', async () => {
    const { events, pages } = await all('?limit=50&actor=example.test');
    const fixtures = events.filter((e) => e.target?.id?.startsWith('target-'));
    expect(pages).toBe(2);
    expect(fixtures.length).toBe(events.length);
    // Alice and Bob are two of the three actors: 87 of the 130.
    expect(events).toHaveLength(87);
    expect(new Set(events.map((e) => e.id)).size).toBe(87);
    const keys = events.map((e) => [Date.parse(e.created_at), Number(e.id)] as const);
    for (let i = 1; i < keys.length; i++) {
      const [t0, id0] = keys[i - 1];
      const [t1, id1] = keys[i];
      expect(t0 > t1 || (t0 === t1 && id0 > id1)).toBe(true);
    }

    const first = await list('?limit=3');
    expect(first.body.data[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      created_at: new Date(BASE + 200 * 60_000).toISOString(),
      actor: { id: null, email: expect.any(String) },
      action: expect.any(String),
      target: { type: 'source', id: 'target-129' },
      details: { n: 129, name: 'Source 129' },
      ip: '203.0.113.7',
    });
    // The ten events of one microsecond continue exactly across a page boundary.
    const second = await list(`?limit=3&cursor=${first.body.next_cursor}`);
    expect(second.body.data.map((e: any) => e.details.n)).toEqual([126, 125, 124]);
  });

  it('filters by actor, action, kind of action and time range', async () => {
    const alice = (await all('?actor=ALICE')).events;
    expect(alice.length).toBe(44);
    expect(alice.every((e) => e.actor.email === 'alice@example.test')).toBe(true);

    const system = (await all('?actor=system')).events.filter((e) => e.target?.id?.startsWith('target-'));
    expect(system.length).toBe(43);
    expect(system.every((e) => e.actor.email === 'system:scheduler')).toBe(true);

    const exact = (await all('?action=source.created')).events;
    expect(exact.length).toBe(33);
    expect(exact.every((e) => e.action === 'source.created')).toBe(true);

    const kind = (await all('?action=source.*')).events.filter((e) => e.target?.id?.startsWith('target-'));
    expect(kind.length).toBe(66);
    expect(new Set(kind.map((e) => e.action))).toEqual(new Set(['source.created', 'source.updated']));

    const from = new Date(BASE + 10 * 60_000).toISOString();
    const to = new Date(BASE + 20 * 60_000).toISOString();
    const range = (await all(`?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).events;
    expect(range.map((e) => e.details.n)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10]);

    const combined = (await all(`?actor=bob&action=auth.signed_in&from=2026-03-01&to=2026-03-02`)).events;
    expect(combined.map((e) => e.details.n)).toEqual(
      Array.from({ length: 130 }, (_, i) => 129 - i).filter((n) => n % 3 === 1 && n % 4 === 3),
    );
  });

  it('rejects bad filters and cursors, and is for admins only', async () => {
    for (const query of [
      '?cursor=nonsense',
      '?from=yesterday',
      '?from=2026-03-02&to=2026-03-01',
      '?action=DROP',
      '?limit=0',
    ]) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('invalid_query');
    }
    const recruiter = await createTestUser('recruiter');
    expect((await list('', recruiter)).status).toBe(403);
    expect((await callRoute(actions.GET, { auth: { session: recruiter } })).status).toBe(403);
    expect((await callRoute(audit.GET, {})).status).toBe(401);
  });
});

describe('GET /api/v1/audit/actions', () => {
  it('lists every recorded action once, in order', async () => {
    const res = await callRoute(actions.GET, { auth: { session: admin } });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([...ACTIONS].sort());
  });
});
