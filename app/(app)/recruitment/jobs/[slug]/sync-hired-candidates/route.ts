// The seed's URL contract, which scripts already use (POST, with or without the trailing slash): the
// same handler as POST /api/v1/jobs/{slug}/sync-hired-candidates. proxy.ts's matcher leaves it out.
import { otherMethods } from '@/lib/api/method-not-allowed';
export { POST } from '@/app/api/v1/jobs/[slug]/sync-hired-candidates/route';

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
