import { route } from '@/lib/api/route';
import { statsQuerySchema } from '@/lib/sync-admin/schemas';
import { getSyncStats } from '@/lib/sync-admin/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

// ?window=24h|7d|30d (default 24h); an unknown window answers 400 invalid_window.
export const GET = route({ access: 'admin', scope: 'syncs:read', query: statsQuerySchema }, ({ db, actor, query }) =>
  getSyncStats(db, actor, query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
