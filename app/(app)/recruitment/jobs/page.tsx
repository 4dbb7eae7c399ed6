import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { DEFAULT_PAGE_SIZE } from '@/lib/recruiting/schemas';
import { listJobs } from '@/lib/recruiting/service';
import { JobsClient } from './jobs-client';

export const metadata: Metadata = { title: 'Job postings' };

export default async function JobsPage() {
  const actor = await requireUser('/recruitment/jobs');
  const firstPage = await listJobs(getDb(), actor, { limit: DEFAULT_PAGE_SIZE });
  return <JobsClient initialPage={firstPage} />;
}
