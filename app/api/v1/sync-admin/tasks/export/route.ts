import { route } from '@/lib/api/route';
import { exportTasks, exportTasksQuerySchema } from '@/lib/export/tasks';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const GET = route(
  { access: 'admin', scope: 'syncs:read', query: exportTasksQuerySchema },
  ({ db, actor, query, log }) => exportTasks(db, actor, query, log),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
