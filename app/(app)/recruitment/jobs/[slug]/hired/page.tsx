import type { Metadata } from 'next';
import { canReadAdmin } from '@/lib/auth/actor';
import { requireUser } from '@/lib/auth/session';
import { listPublicConnectors } from '@/lib/sync/connectors/catalog';
import { loadJob } from '../load-job';
import { HiredClient } from './hired-client';

type Props = { params: Promise<{ slug: string }> };

const pathOf = (slug: string) => `/recruitment/jobs/${slug}/hired`;

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { slug } = await props.params;
  return { title: `Hired · ${(await loadJob(slug, pathOf(slug))).title}` };
}

export default async function HiredPage(props: Props) {
  const { slug } = await props.params;
  const job = await loadJob(slug, pathOf(slug));
  // Only admins get the link to a sync's full log in /sync-admin.
  const actor = await requireUser(pathOf(slug));
  const connectorNames = Object.fromEntries(listPublicConnectors().map((c) => [c.id, c.name]));
  return <HiredClient initialJob={job} isAdmin={canReadAdmin(actor)} connectorNames={connectorNames} />;
}
