import { route } from '@/lib/api/route';
import { listAlertIncidentsQuerySchema } from '@/lib/alerts/schemas';
import { listAlertIncidents } from '@/lib/alerts/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route(
  { access: 'admin', scope: 'alerts:read', query: listAlertIncidentsQuerySchema },
  async ({ db, actor, query }) => ({ incidents: await listAlertIncidents(db, actor, query) }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
