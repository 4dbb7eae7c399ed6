import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import type { Env } from '@/lib/env';

/** What every part of the worker is started with; in its own module so the parts need not import register-handlers. */
export type WorkerContext = { boss: PgBoss; db: Database; env: Env; log: Logger; workerId: string };
