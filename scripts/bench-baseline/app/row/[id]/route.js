import pg from 'pg';

// Sized like the product's pool (DB_POOL_MAX, default 10), so the comparison is of the request path.
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

export const dynamic = 'force-dynamic';

/** The ceiling the status endpoint is measured against: one row by primary key, answered as JSON. */
export async function GET(_req, { params }) {
  const { id } = await params;
  const { rows } = await pool.query(
    'select id, status, total, created_at, started_at, finished_at from sync_runs where id = $1',
    [id],
  );
  if (rows.length === 0) return Response.json({ error: { code: 'not_found', message: 'not found' } }, { status: 404 });
  return Response.json(rows[0]);
}
