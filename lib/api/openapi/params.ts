import { z } from 'zod';

// Path parameters as the document names them (the route folders' names: [slug], [id], …). Route
// files declare their own copies inline; route() answers 404 not_found for any that fails.
export const slugParams = z.object({
  slug: z.string().max(200).meta({ description: "The job posting's slug.", example: 'senior-engineer' }),
});
export const idParams = z.object({ id: z.string().meta({ format: 'uuid' }) });
export const taskParams = z.object({
  taskId: z
    .string()
    .meta({ description: 'The sync run (task) id, a UUID; anything else is 400 invalid_task_id.', format: 'uuid' }),
});
