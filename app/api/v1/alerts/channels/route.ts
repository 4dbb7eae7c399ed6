import { json, route } from '@/lib/api/route';
import { createAlertChannelSchema } from '@/lib/alerts/schemas';
import { createAlertChannel, listAlertChannels } from '@/lib/alerts/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route({ access: 'admin', scope: 'alerts:read' }, async ({ db, actor }) => ({
  channels: await listAlertChannels(db, actor),
}));

export const POST = route(
  { access: 'admin', scope: 'alerts:write', body: createAlertChannelSchema },
  async ({ db, actor, body }) => json({ channel: await createAlertChannel(db, actor, body) }, 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
