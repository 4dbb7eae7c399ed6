import { z } from 'zod';
import { route } from '@/lib/api/route';
import { updateAlertChannelSchema } from '@/lib/alerts/schemas';
import { deleteAlertChannel, getAlertChannelOrThrow, updateAlertChannel } from '@/lib/alerts/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ id: z.uuid() });

export const GET = route({ access: 'admin', scope: 'alerts:read', params }, async ({ db, actor, params }) => ({
  channel: await getAlertChannelOrThrow(db, actor, params.id),
}));

export const PATCH = route(
  { access: 'admin', scope: 'alerts:write', params, body: updateAlertChannelSchema },
  async ({ db, actor, params, body }) => ({ channel: await updateAlertChannel(db, actor, params.id, body) }),
);

export const DELETE = route({ access: 'admin', scope: 'alerts:write', params }, async ({ db, actor, params }) => {
  await deleteAlertChannel(db, actor, params.id);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = otherMethods('GET', 'PATCH', 'DELETE');
