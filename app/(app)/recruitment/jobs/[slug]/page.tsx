import type { Metadata } from 'next';
import { JobClient } from './job-client';
import { loadJob } from './load-job';

type Props = { params: Promise<{ slug: string }> };

const pathOf = (slug: string) => `/recruitment/jobs/${slug}`;

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { slug } = await props.params;
  return { title: (await loadJob(slug, pathOf(slug))).title };
}

export default async function JobPage(props: Props) {
  const { slug } = await props.params;
  return <JobClient initialJob={await loadJob(slug, pathOf(slug))} />;
}
