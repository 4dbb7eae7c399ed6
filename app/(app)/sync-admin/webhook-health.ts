import type { PublicWebhookEndpoint } from '@/lib/webhooks/schemas';

type Endpoint = Pick<PublicWebhookEndpoint, 'is_active' | 'consecutive_failures' | 'retrying' | 'last_success_at'>;

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The dashboard's view of the active endpoints. One with a delivery waiting to retry, or whose last
 * delivery failed for good, is failing now, before its streak reaches the `failing` flag's
 * threshold (which decides the alert, not whether it delivers); one never delivered to is not
 * called delivering.
 */
export function webhookHealth<E extends Endpoint>(all: E[]): { failing: E[]; summary: string | null } {
  const active = all.filter((e) => e.is_active);
  const isFailing = (e: E) => e.consecutive_failures > 0 || e.retrying > 0;
  const failing = active.filter(isFailing);
  const rest = active.filter((e) => !isFailing(e));
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

/** Why an endpoint counts as failing: its streak of failed deliveries, or those waiting to retry. */
export function failureLine(e: Pick<Endpoint, 'consecutive_failures' | 'retrying'>): string {
  const parts: string[] = [];
  if (e.consecutive_failures > 0)
    parts.push(`${count(e.consecutive_failures, 'delivery', 'deliveries')} failed in a row`);
  if (e.retrying > 0) parts.push(`${count(e.retrying, 'delivery', 'deliveries')} waiting to retry`);
  return parts.join('; ');
}
