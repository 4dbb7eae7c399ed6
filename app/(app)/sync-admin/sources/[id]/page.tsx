import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireAdminView } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { isAppError } from '@/lib/errors';
import { getSourceOrThrow } from '@/lib/sources/service';
import { connectorChoices } from '@/lib/sync/connectors/catalog';
import { EditSourceClient } from './edit-source-client';

export const metadata: Metadata = { title: 'Edit source' };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ added?: string }> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function EditSourcePage({ params, searchParams }: Props) {
  const { id } = await params;
  const actor = await requireAdminView(`/sync-admin/sources/${id}`);
  if (!UUID.test(id)) notFound();
  const source = await getSourceOrThrow(getDb(), actor, id).catch((err) => {
    if (isAppError(err) && err.code === 'source_not_found') notFound();
    throw err;
  });
  return (
    <EditSourceClient
      initialSource={source}
      connectors={connectorChoices()}
      added={(await searchParams).added === '1'}
    />
  );
}
