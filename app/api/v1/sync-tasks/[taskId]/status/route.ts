import { route } from '@/lib/api/route';
import { answerText } from '@/lib/sync/finished-answers';
import { getRunStatus } from '@/lib/sync/service';
import { parseTaskId, taskParamsSchema } from '@/lib/sync/task-id';
import { otherMethods } from '@/lib/api/method-not-allowed';

// Polled every 2 s by the progress modal: an unchanged run answers 304 after one indexed read.
// Also answers the seed's URL, /recruitment/sync/task/{task_id}/status/ (a re-export there).
// A plain Response with the answer's text: NextResponse.json serialises at every poll and builds
// the response twice; a finished run's text is kept (lib/sync/finished-answers.ts).
export const GET = route(
  { access: 'user', scope: 'syncs:read', params: taskParamsSchema },
  async ({ db, req, params, mark }) => {
    const result = await getRunStatus(db, parseTaskId(params.taskId), req.headers.get('if-none-match'));
    mark('db');
    const headers = { etag: result.etag, 'cache-control': 'private, no-cache' };
    if (result.notModified) return new Response(null, { status: 304, headers });
    return new Response(answerText(result.body), { headers: { ...headers, 'content-type': 'application/json' } });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
