import { route } from '@/lib/api/route';
import { listPublicConnectors } from '@/lib/sync/connectors/catalog';
import { MAPPABLE_FIELDS } from '@/lib/sync/mapping';
import { otherMethods } from '@/lib/api/method-not-allowed';

// Read-only and free of secrets: any signed-in user (recruiters see connector names when they sync).
// mappable_paths: what a target mapping's `from` may name, the same for every connector.
export const GET = route({ access: 'user', scope: 'any' }, async () => ({
  data: listPublicConnectors(),
  mappable_paths: MAPPABLE_FIELDS,
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
