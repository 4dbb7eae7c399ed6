import { Badge, type BadgeTone } from '@/app/components/badge';
import type { PublicToken } from '@/lib/tokens/schemas';

const STATUS: Record<PublicToken['status'], { tone: BadgeTone; label: string }> = {
  active: { tone: 'green', label: 'Active' },
  expired: { tone: 'amber', label: 'Expired' },
  revoked: { tone: 'gray', label: 'Revoked' },
};

export function TokenStatusBadge({ status }: { status: PublicToken['status'] }) {
  return <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>;
}
