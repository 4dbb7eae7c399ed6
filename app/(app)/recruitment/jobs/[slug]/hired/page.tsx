import type { Metadata } from 'next';
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
  return <HiredClient initialJob={await loadJob(slug, pathOf(slug))} />;
}
