import { route } from '@/lib/api/route';
import { previewSource } from '@/lib/sources/preview';
import { previewSourceSchema } from '@/lib/sources/schemas';
import { otherMethods } from '@/lib/api/method-not-allowed';

// A read: nothing is sent and nothing is written, so a POST only because the form's state is the body.
export const POST = route(
  { access: 'admin', scope: 'sources:write', body: previewSourceSchema, viewerMay: 'read-only' },
  async ({ db, actor, body }) => previewSource(db, actor, body),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
