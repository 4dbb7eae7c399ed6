/**
 * README example: deliver hires to BambooHR (an admin's token). `ATS_SYNC_URL=… ATS_SYNC_TOKEN=ats_…
 * BAMBOOHR_API_KEY=… npx tsx scripts/examples/create-bamboohr-source.ts acme`
 */
import { type AtsSyncClient, createAtsSyncClient } from '@/client';

export async function createBambooHrSource(
  client: AtsSyncClient,
  input: { companyDomain: string; apiKey: string; baseUrl?: string },
) {
  const { data: source, error } = await client.POST('/api/v1/sources', {
    body: {
      name: 'BambooHR',
      connector: 'bamboohr',
      settings: { company_domain: input.companyDomain },
      base_url: input.baseUrl ?? `https://${input.companyDomain}.bamboohr.com/api/v1`,
      // BambooHR takes the API key as the Basic user name; it is stored (encrypted) as the password.
      auth: { type: 'basic', username: 'api-key', password: input.apiKey },
      // A named connector is otherwise `auto`, and every hire would reach this company's BambooHR at
      // once; `manual` sends only when someone presses Sync, until the connection test has passed.
      sync_mode: 'manual',
    },
  });
  if (error) throw new Error(`${error.error.code}: ${error.error.message}`);
  const { data: test } = await client.POST('/api/v1/sources/{id}/test', { params: { path: { id: source.id } } });
  console.log(`source ${source.id}: connection ${test?.ok ? 'works' : `failed (${test?.error})`}`);
  return { source, test };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const client = createAtsSyncClient({
    baseUrl: process.env.ATS_SYNC_URL ?? '',
    token: process.env.ATS_SYNC_TOKEN ?? '',
  });
  await createBambooHrSource(client, {
    companyDomain: process.argv[2] ?? '',
    apiKey: process.env.BAMBOOHR_API_KEY ?? '',
  });
}
