// The seed's URL contract, which scripts and the 202 answer's status_url use (with or without the
// trailing slash): the same handler as GET /api/v1/sync-tasks/{task_id}/status. proxy.ts's matcher
// leaves it out.
import { otherMethods } from '@/lib/api/method-not-allowed';
export { GET } from '@/app/api/v1/sync-tasks/[taskId]/status/route';

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
