import { route } from '@/lib/api/route';
import { getAlertSettings } from '@/lib/alerts/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'admin', scope: 'alerts:read' }, async ({ db, actor }) =>
  getAlertSettings(db, actor),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
