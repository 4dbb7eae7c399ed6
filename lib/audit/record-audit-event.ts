import type { Database } from '@/db/client';
import type { Transaction } from 'kysely';
import type { DB } from '@/db/types';
import type { Actor } from '@/lib/auth/actor';
import { redactSecrets } from '@/lib/logger';

export type AuditInput = {
  actor: Actor | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
};

/** Writes one audit event. Details are scrubbed of secrets before they are stored. */
export async function recordAuditEvent(db: Database | Transaction<DB>, input: AuditInput): Promise<void> {
  const actor = input.actor;
  await db
    .insertInto('audit_events')
    .values({
      actor_id: actor?.kind === 'user' ? actor.id : null,
      actor_email: actor?.kind === 'user' ? actor.email : actor?.kind === 'system' ? `system:${actor.name}` : null,
      action: input.action,
      target_type: input.targetType ?? null,
      target_id: input.targetId ?? null,
      details: JSON.stringify(redactSecrets(input.details ?? {})),
      ip: actor?.ip ?? null,
    })
    .execute();
}
