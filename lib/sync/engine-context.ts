import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import type { DeliverQueues } from '@/lib/queue/queues';
import type { SourceAuthorizer } from './connectors/authorize';

/** What the fan-out, the delivery steps and the sweeper need of the process running them. */
export type EngineContext = {
  db: Database;
  boss: PgBoss;
  log: Logger;
  workerId: string;
  retryDelaySeconds: number;
  queues: DeliverQueues;
  /** Credentials that need a round trip first (OAuth2 client-credentials tokens, shared by all workers). */
  authorizer: SourceAuthorizer;
};
