import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { countRuns, listRunRows, measureEmailFragment } from './repository';
import { ago, HOUR, insertPosting, insertRun, insertSource } from '@/test/sync-history-fixtures';

type Posting = Awaited<ReturnType<typeof insertPosting>>;
let source: string;
let unused: string;
let posting: Posting;
let other: Posting;
/** More applicants than the search would ever collect (BROAD_EMAIL_CANDIDATES), none of them delivered. */
const APPLICANTS = 10_050;
const APPLICANT_FRAGMENT = 'applicant-only-';

/** The runs a fragment must find, by definition: a delivery to a candidate whose email holds it. */
async function expected(fragment: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select r.id from sync_runs r
    where exists (select 1 from sync_deliveries d join candidates c on c.id = d.candidate_id
                  where d.run_id = r.id and c.email ilike ${`%${fragment}%`})
    order by r.created_at desc, r.id desc
  `.execute(getDb());
  return rows.map((r) => r.id);
}

/** `walk`: the runs newest first, each delivery's candidate read by key; `hashed`: the same, the matching candidates hashed once. */
async function found(fragment: string, walk: boolean | 'hashed'): Promise<string[]> {
  const search = {
    kind: 'email',
    fragment,
    manyCandidates: walk === true,
    manyDeliveries: walk !== false,
  } as const;
  return (await listRunRows(getDb(), { search }, { limit: 200 })).map((r) => r.id);
}

beforeAll(async () => {
  source = await insertSource('Delivered Search');
  unused = await insertSource('Delivered Search Unused');
  posting = await insertPosting(3);
  other = await insertPosting(2);
  for (let i = 0; i < 6; i++) {
    const p = i % 3 === 0 ? other : posting;
    await insertRun({
      postingId: p.id,
      status: 'completed',
      createdAt: ago((i + 1) * HOUR),
      deliveries: p.candidates.slice(0, i % 2 ? 1 : 2).map((c) => ({
        sourceId: source,
        candidateId: c.id,
        status: 'succeeded' as const,
        durationMs: 50,
      })),
    });
  }
  await sql`
    insert into candidates (job_posting_id, first_name, last_name, email, stage)
    select ${posting.id}::uuid, 'Applicant', 'Only', ${APPLICANT_FRAGMENT} || n || '@example.test', 'applied'
    from generate_series(1, ${APPLICANTS}) n
  `.execute(getDb());
  await sql`analyze candidates`.execute(getDb());
});

describe('delivered candidates (the email search)', () => {
  it('keeps every hired candidate (the only ones ever delivered) and no applicant, with its current email', async () => {
    const db = getDb();
    const rows = await db.selectFrom('sync_delivered_candidates').selectAll().execute();
    const hired = await db.selectFrom('candidates').select(['id', 'email']).where('stage', '=', 'hired').execute();
    expect(new Map(rows.map((r) => [r.candidate_id, r.email]))).toEqual(new Map(hired.map((c) => [c.id, c.email])));
    // Hired and not delivered yet: listed, and its email finds no run until one delivers to it.
    const fresh = posting.candidates[2];
    expect(rows.some((r) => r.candidate_id === fresh.id)).toBe(true);
    expect(await found(fresh.email, false)).toEqual([]);
    const run = await insertRun({
      postingId: posting.id,
      status: 'completed',
      createdAt: ago(30 * 60_000),
      deliveries: [{ sourceId: source, candidateId: fresh.id, status: 'failed', errorCode: 'timeout' }],
    });
    expect(await found(fresh.email, false)).toEqual([run]);
    expect(await found(fresh.email, true)).toEqual([run]);

    // An applicant is added when hired, by the statement that hires them, and only then.
    const applicant = await db
      .selectFrom('candidates')
      .select(['id', 'email'])
      .where('stage', '=', 'applied')
      .limit(1)
      .executeTakeFirstOrThrow();
    const listed = () =>
      db.selectFrom('sync_delivered_candidates').select('email').where('candidate_id', '=', applicant.id).execute();
    expect(await listed()).toEqual([]);
    await db.updateTable('candidates').set({ stage: 'interview' }).where('id', '=', applicant.id).execute();
    expect(await listed()).toEqual([]);
    await db
      .updateTable('candidates')
      .set({ stage: 'hired', hired_at: new Date() })
      .where('id', '=', applicant.id)
      .execute();
    expect(await listed()).toEqual([{ email: applicant.email }]);
  });

  it('follows an email change, so the new address finds the runs and the old one no longer does', async () => {
    const db = getDb();
    const c = other.candidates[0];
    const before = await expected(c.email);
    expect(before.length).toBeGreaterThan(0);
    const renamed = `renamed-${c.email}`;
    await db.updateTable('candidates').set({ email: renamed }).where('id', '=', c.id).execute();
    for (const walk of [false, true, 'hashed'] as const) {
      expect(await found('renamed-', walk)).toEqual(before);
      expect(await found(c.email.split('@')[0], walk)).toEqual(await expected(c.email.split('@')[0]));
    }
    const row = await db
      .selectFrom('sync_delivered_candidates')
      .select('email')
      .where('candidate_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(row.email).toBe(renamed);
  });

  it('finds the same runs as the definition, from either side, for narrow, broad, posting-wide and empty fragments', async () => {
    const fragments = [
      posting.candidates[0].email,
      posting.candidates[1].email.slice(0, 5),
      posting.slug,
      other.slug,
      'example.test',
      APPLICANT_FRAGMENT,
      'zqxj-nobody',
    ];
    for (const fragment of fragments) {
      const want = await expected(fragment);
      expect(await found(fragment, false), fragment).toEqual(want);
      expect(await found(fragment, true), fragment).toEqual(want);
      expect(await found(fragment, 'hashed'), fragment).toEqual(want);
      const search = (walk: boolean) =>
        ({ kind: 'email', fragment, manyCandidates: walk, manyDeliveries: walk }) as const;
      expect(await countRuns(getDb(), { search: search(false) }, 100), fragment).toBe(want.length);
      expect(await countRuns(getDb(), { search: search(true) }, 100), fragment).toBe(want.length);
    }
    // With the other filters of the page.
    const withSource = await listRunRows(
      getDb(),
      {
        search: { kind: 'email', fragment: 'example.test', manyCandidates: false, manyDeliveries: false },
        source: { id: unused, sparse: true },
      },
      { limit: 200 },
    );
    expect(withSource).toEqual([]);
  });

  it('measures a fragment that only applicants match as narrow: none of them was ever delivered', async () => {
    // Read among every candidate, these 10,050 applicants made the fragment "broad" and the list walked every run.
    expect(await measureEmailFragment(getDb(), APPLICANT_FRAGMENT)).toEqual({
      manyCandidates: false,
      manyDeliveries: false,
    });
    expect(await found(APPLICANT_FRAGMENT, false)).toEqual([]);
  });

  it('measures a fragment that a large share of the delivered candidates match as broad, so a count walks the runs', async () => {
    const many = await insertPosting(120);
    await insertRun({
      postingId: many.id,
      status: 'completed',
      createdAt: ago(20 * 60_000),
      deliveries: many.candidates.map((c) => ({ sourceId: source, candidateId: c.id, status: 'succeeded' as const })),
    });
    expect(await measureEmailFragment(getDb(), 'example.test')).toEqual({
      manyCandidates: true,
      manyDeliveries: false,
    });
    expect(await measureEmailFragment(getDb(), many.candidates[7].email)).toEqual({
      manyCandidates: false,
      manyDeliveries: false,
    });
  });
});
