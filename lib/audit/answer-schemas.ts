import { z } from 'zod';
import { type Same, shapes } from '@/lib/api/openapi/same-shape';
import type { AuditPage } from './schemas';

// The answers of the audit API as zod schemas, for the OpenAPI document (lib/api/openapi/admin.ts).
export const auditPageSchema = z
  .object({
    data: z.array(
      z.object({
        id: z.string(),
        created_at: z.string(),
        actor: z.object({ id: z.string().nullable(), email: z.string().nullable() }),
        action: z.string().meta({ example: 'source.create' }),
        target: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
        details: z.record(z.string(), z.unknown()),
        ip: z.string().nullable(),
      }),
    ),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: 'AuditPage' });
shapes<Same<z.output<typeof auditPageSchema>, AuditPage>>();

export const auditActionsSchema = z.object({ data: z.array(z.string()) }).meta({ id: 'AuditActions' });
