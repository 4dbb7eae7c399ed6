'use client';

import { useRouter } from 'next/navigation';
import type { CreateSourceInput } from '@/lib/sources/schemas';
import type { ConnectorChoice } from '@/lib/sync/connectors/catalog';
import { useCreateSource } from '@/lib/swr/use-sources';
import { SourceForm } from '../source-form-client';
import { SourcePageHeader } from '../source-page-header';

export function NewSourceClient({ connectors }: { connectors: ConnectorChoice[] }) {
  const router = useRouter();
  const createSource = useCreateSource();

  async function onSave(input: CreateSourceInput) {
    const source = await createSource(input);
    router.push(`/sync-admin/sources/${source.id}?added=1`);
  }

  return (
    <div className="space-y-8">
      <SourcePageHeader
        title="Add source"
        description="A system that receives hired candidates: an HR system, payroll, onboarding or a partner platform."
      />
      <SourceForm connectors={connectors} onSave={(input) => onSave(input as CreateSourceInput)} />
    </div>
  );
}
