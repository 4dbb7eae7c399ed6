import { route, json } from '@/lib/api/route';
import { checkDatabase } from '@/lib/health/check-database';

export const dynamic = 'force-dynamic';

export const GET = route({ access: 'public' }, async ({ db }) => {
  const database = await checkDatabase(db);
  return json({ status: database.ok ? 'ok' : 'unavailable', checks: { database } }, database.ok ? 200 : 503);
});
