import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { getEnv } from '@/lib/env';
import { createDb, prepared } from './client';

// One connection, so the statements below and the look at pg_prepared_statements share a session.
const db = createDb(getEnv().DATABASE_URL, { max: 1 });
afterAll(() => db.destroy());

async function preparedOnConnection() {
  const { rows } = await sql<{
    name: string;
    statement: string;
  }>`select name, statement from pg_prepared_statements`.execute(db);
  return rows;
}

describe('statements marked prepared', () => {
  it('are prepared once per connection under one name and answer like any other; unmarked ones are not prepared', async () => {
    for (const n of [1, 2, 3]) {
      const { rows } = await sql<{ twice: number }>`${prepared}select ${n}::int * 2 as twice`.execute(db);
      expect(rows).toEqual([{ twice: n * 2 }]);
    }
    const { rows: plain } = await sql<{ n: number }>`select ${7}::int as n`.execute(db);
    expect(plain).toEqual([{ n: 7 }]);
    const found = await preparedOnConnection();
    expect(found).toHaveLength(1);
    expect(found[0].name).toMatch(/^ats_[0-9a-f]{24}$/);
    expect(found[0].statement).toContain('select $1::int * 2 as twice');
  });
});
