import 'server-only';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { requireUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { isAppError } from '@/lib/errors';
import type { PublicJob } from '@/lib/recruiting/schemas';
import { getJob } from '@/lib/recruiting/service';

/**
 * The posting a page is about, for the signed-in user; an unknown or malformed slug is the 404
 * page. Cached per request so the page and its metadata load it once.
 */
export const loadJob = cache(async (slug: string, path: string): Promise<PublicJob> => {
  const actor = await requireUser(path);
  try {
    return await getJob(getDb(), actor, slug);
  } catch (err) {
    if (isAppError(err) && err.code === 'job_not_found') notFound();
    throw err;
  }
});
