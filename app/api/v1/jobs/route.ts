import { json, route } from '@/lib/api/route';
import { createJobSchema, listJobsQuerySchema } from '@/lib/recruiting/schemas';
import { createJob, listJobs } from '@/lib/recruiting/service';

export const GET = route({ access: 'user', query: listJobsQuerySchema }, async ({ db, actor, query }) =>
  listJobs(db, actor, query),
);

export const POST = route({ access: 'user', body: createJobSchema }, async ({ db, actor, body }) =>
  json(await createJob(db, actor, body), 201),
);
