import { z } from 'zod';
import { AppError } from '@/lib/errors';

export const taskParamsSchema = z.object({ taskId: z.string() });

/** Task ids are UUIDs; anything else is a malformed request, not an unknown task. */
export function parseTaskId(value: string): string {
  const result = z.uuid().safeParse(value);
  if (!result.success) throw new AppError('invalid_task_id', 'the task id must be a UUID');
  return result.data.toLowerCase();
}
