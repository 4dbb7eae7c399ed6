import { json, route } from '@/lib/api/route';
import { createJobSchema, listJobsQuerySchema } from '@/lib/recruiting/schemas';
import { createJob, listJobs } from '@/lib/recruiting/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route(
  { access: 'user', scope: 'jobs:read', query: listJobsQuerySchema },
  async ({ db, actor, query }) => listJobs(db, actor, query),
);

export const POST = route({ access: 'user', scope: 'jobs:write', body: createJobSchema }, async ({ db, actor, body }) =>
  json(await createJob(db, actor, body), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
