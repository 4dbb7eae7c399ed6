import type { PublicWebhookEndpoint } from '@/lib/webhooks/schemas';

type Endpoint = Pick<PublicWebhookEndpoint, 'is_active' | 'consecutive_failures' | 'last_success_at'>;

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The dashboard's view of the active endpoints. One whose last delivery failed for good is failing
 * now, before its streak reaches the `failing` flag's threshold (which decides the alert, not
 * whether it delivers); one never delivered to is not called delivering.
 */
export function webhookHealth<E extends Endpoint>(all: E[]): { failing: E[]; summary: string | null } {
  const active = all.filter((e) => e.is_active);
  const failing = active.filter((e) => e.consecutive_failures > 0);
  const rest = active.filter((e) => e.consecutive_failures === 0);
  const delivering = rest.filter((e) => e.last_success_at !== null).length;
  const untried = rest.length - delivering;
  if (rest.length === 0) return { failing, summary: null };
  const parts: string[] = [];
  if (delivering > 0) {
    const all = failing.length === 0 && untried === 0 && delivering > 1 ? 'All ' : '';
    parts.push(
      `${all}${count(delivering, failing.length ? 'other endpoint' : 'endpoint', failing.length ? 'other endpoints' : 'endpoints')} delivering`,
    );
  }
  if (untried > 0) parts.push(`${count(untried, 'endpoint', 'endpoints')} with nothing delivered yet`);
  return { failing, summary: `${parts.join('; ')}.` };
}

export const failedInARow = (n: number) => `${count(n, 'delivery', 'deliveries')} failed in a row`;
