import { z } from 'zod';

// The health answers as zod schemas, for the OpenAPI document (lib/api/openapi/system.ts).
export const livenessSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' });

const check = z.looseObject({
  ok: z.boolean(),
  latency_ms: z.number().optional().meta({ description: 'Admins and the metrics token only.' }),
  error: z.string().optional().meta({ description: 'Admins and the metrics token only.' }),
});

export const readinessSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'unavailable']).meta({
      description:
        'ok: every check passes. degraded: only `workers` fails (no live worker): the web still serves (200) and syncs wait in the queue. unavailable (503): the database, migrations or queue schema fail.',
    }),
    failing: z
      .array(z.string())
      .optional()
      .meta({ description: 'Required checks that failed. Admins and the metrics token only.' }),
    warnings: z
      .array(z.string())
      .optional()
      .meta({ description: 'Advisory checks that failed (`workers`). Admins and the metrics token only.' }),
    checks: z.object({ database: check, migrations: check, queue: check, workers: check }),
  })
  .meta({ id: 'Readiness' });
