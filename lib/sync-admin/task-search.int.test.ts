import { beforeAll, describe, expect, it } from 'vitest';
import * as countRoute from '@/app/api/v1/sync-admin/tasks/count/route';
import * as tasksRoute from '@/app/api/v1/sync-admin/tasks/route';
import { getDb } from '@/lib/db';
import { callRoute, createTestToken, createTestUser } from '@/test/fixtures';
import { countRuns, listRunRows, measureEmailFragment, type RunFilter, sourceIsSparse } from './repository';
import { ago, HOUR, insertPosting, insertRun, insertSource } from '@/test/sync-history-fixtures';

let token: string;
let busy: string;
let rare: string;
let unused: string;
let askedOnly: string;
type Posting = Awaited<ReturnType<typeof insertPosting>>;
let posting: Posting;
/** Every run, newest first. */
let runs: string[] = [];
let rareRun: string;
let pendingRun: string;

async function list(query: string) {
  return callRoute(tasksRoute.GET, { path: `/api/v1/sync-admin/tasks?limit=100&${query}`, auth: { token } });
}

async function ids(query: string): Promise<string[]> {
  const res = await list(query);
  expect(res.status).toBe(200);
  return res.body.data.map((t: { task_id: string }) => t.task_id);
}

beforeAll(async () => {
  token = await createTestToken(await createTestUser('admin'));
  busy = await insertSource('Search Busy');
  rare = await insertSource('Search Rare');
  unused = await insertSource('Search Unused');
  askedOnly = await insertSource('Search Asked Only');
  posting = await insertPosting(3);
  const [c0, c1, c2] = posting.candidates.map((c) => c.id);
  for (let i = 0; i < 12; i++) {
    const id = await insertRun({
      postingId: posting.id,
      status: 'completed',
      createdAt: ago((i + 1) * HOUR),
      deliveries: [
        { sourceId: busy, candidateId: i % 2 ? c1 : c0, status: 'succeeded', durationMs: 100 },
        ...(i === 7 ? [{ sourceId: rare, candidateId: c2, status: 'succeeded' as const, durationMs: 100 }] : []),
      ],
    });
    runs.push(id);
    if (i === 7) rareRun = id;
  }
  // Not fanned out yet: it names its sources but has no deliveries.
  pendingRun = await insertRun({
    postingId: posting.id,
    status: 'pending',
    createdAt: ago(60_000),
    sourceIds: [askedOnly],
  });
  runs = [pendingRun, ...runs];
});

describe('tasks list: source filter', () => {
  it('finds the runs of a rarely used source, none for an unused one, and a run that only asked for it', async () => {
    expect(await ids(`source=${rare}`)).toEqual([rareRun]);
    expect(await ids(`source=${unused}`)).toEqual([]);
    expect(await ids(`source=${askedOnly}`)).toEqual([pendingRun]);
    expect(await ids(`source=${busy}`)).toEqual(runs.slice(1));
    const count = await callRoute(countRoute.GET, {
      path: `/api/v1/sync-admin/tasks/count?source=${unused}`,
      auth: { token },
    });
    expect(count.body).toEqual({ count: 0, capped: false });
  });

  it('answers the same whether the source is looked up from its deliveries or probed run by run', async () => {
    const db = getDb();
    expect(await sourceIsSparse(db, unused)).toBe(true);
    for (const source of [busy, rare, unused, askedOnly]) {
      const page = async (sparse: boolean, filter: RunFilter = {}) =>
        (await listRunRows(db, { ...filter, source: { id: source, sparse } }, { limit: 100 })).map((r) => r.id);
      expect(await page(true)).toEqual(await page(false));
      expect(await page(true, { status: ['pending'] })).toEqual(await page(false, { status: ['pending'] }));
    }
  });
});

describe('tasks list: search', () => {
  it('finds runs by any fragment of a delivered candidate’s email, in any case, with or without the @', async () => {
    const email = posting.candidates[2].email; // c2-admin-xxxx@example.test: only the rare source's run
    expect(await ids(`q=${encodeURIComponent(email)}`)).toEqual([rareRun]);
    expect(await ids(`q=${encodeURIComponent(email.slice(0, 6).toUpperCase())}`)).toEqual([rareRun]);
    expect(await ids(`q=${encodeURIComponent(email.slice(1, email.indexOf('@') + 4))}`)).toEqual([rareRun]);
    // Every run delivered to a candidate of this posting, and a fragment no email contains.
    expect(await ids(`q=${posting.slug}`)).toEqual(runs.slice(1));
    expect(await ids('q=zqxj-nobody')).toEqual([]);
    // A literal % or _ is not a wildcard.
    expect(await ids('q=c%25-admin')).toEqual([]);
  });

  it('answers the same whether matching candidates are collected first or the runs are walked', async () => {
    const db = getDb();
    expect(await measureEmailFragment(db, posting.slug)).toEqual({ manyCandidates: false, manyDeliveries: false });
    for (const fragment of [posting.slug, posting.candidates[2].email, 'zqxj-nobody', 'example.test']) {
      const search = (walk: boolean) =>
        ({ kind: 'email', fragment, manyCandidates: walk, manyDeliveries: walk }) as const;
      const page = async (walk: boolean) =>
        (await listRunRows(db, { search: search(walk) }, { limit: 100 })).map((r) => r.id);
      expect(await page(true)).toEqual(await page(false));
      expect(await countRuns(db, { search: search(true) }, 100)).toBe(
        await countRuns(db, { search: search(false) }, 100),
      );
    }
  });

  it('finds a run by its id, whole or its first characters, with or without hyphens, in any case', async () => {
    const target = runs[4];
    expect(await ids(`q=${target}`)).toEqual([target]);
    expect(await ids(`q=${target.toUpperCase()}`)).toEqual([target]);
    expect(await ids(`q=${target.slice(0, 8)}`)).toContain(target);
    expect(await ids(`q=${target.slice(0, 13).toUpperCase()}`)).toContain(target);
    // Pasted without its hyphens.
    expect(await ids(`q=${target.replaceAll('-', '').slice(0, 14)}`)).toContain(target);
    expect(await ids(`q=${target.slice(0, 19)}`)).toEqual([target]);
    const others = await ids(`q=${target.slice(0, 4)}`);
    expect(others.every((id) => id.startsWith(target.slice(0, 4)))).toBe(true);
  });

  it('refuses a search that cannot match anything: a space, quotes, brackets, or fewer than 3 characters', async () => {
    for (const q of ['f889 b10b', 'ada"@x', '<script>', 'a,b', 'ab']) {
      const res = await list(`q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('invalid_query');
      expect(res.body.error.details).toEqual([{ path: 'q', message: expect.any(String) }]);
    }
    const count = await callRoute(countRoute.GET, { path: '/api/v1/sync-admin/tasks/count?q=a%3Bb', auth: { token } });
    expect(count.status).toBe(400);
  });
});
