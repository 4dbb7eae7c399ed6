import { z } from 'zod';

export const AUDIT_PAGE_SIZE = 50;
const MAX_AUDIT_PAGE_SIZE = 200;

/** Where a keyset page starts: the exact (created_at, id) of the last event of the previous page. */
export type AuditCursor = { ts: string; id: string };

const CURSOR_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return btoa(`${cursor.ts}|${cursor.id}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeAuditCursor(value: string): AuditCursor | null {
  if (value.length > 100 || !/^[\w-]+$/.test(value)) return null;
  try {
    const [ts, id, ...rest] = atob(value.replace(/-/g, '+').replace(/_/g, '/')).split('|');
    return rest.length === 0 && CURSOR_TS.test(ts) && /^\d{1,18}$/.test(id ?? '') ? { ts, id } : null;
  } catch {
    return null;
  }
}

// A date alone means its midnight UTC; the page sends instants computed in the reader's zone.
const instantSchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be a date (2026-11-28) or an ISO 8601 time' })
  .transform((v) => new Date(v));

/** The audit trail's filters; its export (lib/export) takes the same. */
export const auditFilterShape = {
  /** Part of the actor's email; `system` for the product's own actions (the scheduler, the CLI…). */
  actor: z
    .string()
    .trim()
    .max(200)
    .transform((v) => v || undefined)
    .optional(),
  /** An action (`source.created`) or every action of a kind (`source.*`). */
  action: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, 'must be an action such as source.created, or a kind such as source.*')
    .optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
};

/** `to` after `from`, for the list and its export. */
export const auditRangeIsOrdered = (q: { from?: Date; to?: Date }) => !q.from || !q.to || q.from < q.to;
export const AUDIT_RANGE_ISSUE = { path: ['to'], message: 'must be after from' };

export const listAuditQuerySchema = z
  .strictObject({
    ...auditFilterShape,
    limit: z
      .string()
      .regex(/^\d{1,3}$/, `must be a whole number from 1 to ${MAX_AUDIT_PAGE_SIZE}`)
      .transform(Number)
      .pipe(z.number().min(1).max(MAX_AUDIT_PAGE_SIZE, `must be a whole number from 1 to ${MAX_AUDIT_PAGE_SIZE}`))
      .default(AUDIT_PAGE_SIZE),
    cursor: z
      .string()
      .transform((value, ctx) => {
        const cursor = decodeAuditCursor(value);
        if (!cursor) {
          ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
          return z.NEVER;
        }
        return cursor;
      })
      .optional(),
  })
  .refine(auditRangeIsOrdered, AUDIT_RANGE_ISSUE);
export type ListAuditQuery = z.infer<typeof listAuditQuerySchema>;

export type PublicAuditEvent = {
  id: string;
  created_at: string;
  actor: { id: string | null; email: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  details: Record<string, unknown>;
  ip: string | null;
};

export type AuditPage = { data: PublicAuditEvent[]; next_cursor: string | null };
