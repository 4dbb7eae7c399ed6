import { route } from '@/lib/api/route';
import { listPublicConnectors } from '@/lib/sync/connectors/catalog';

// Read-only and free of secrets: any signed-in user (recruiters see connector names when they sync).
export const GET = route({ access: 'user' }, async () => ({ data: listPublicConnectors() }));
