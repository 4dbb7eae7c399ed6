import { z } from 'zod';
import { route } from '@/lib/api/route';
import { updateJobSchema } from '@/lib/recruiting/schemas';
import { getJob, updateJob } from '@/lib/recruiting/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

// The slug is checked by the service so a malformed one is 404 job_not_found, like an unknown one.
const params = z.object({ slug: z.string() });

export const GET = route({ access: 'user', scope: 'jobs:read', params }, async ({ db, actor, params }) =>
  getJob(db, actor, params.slug),
);

export const PATCH = route(
  { access: 'user', scope: 'jobs:write', params, body: updateJobSchema },
  async ({ db, actor, params, body }) => updateJob(db, actor, params.slug, body),
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethods('GET', 'PATCH');
