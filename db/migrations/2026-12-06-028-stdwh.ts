import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// How a source's deliveries and an endpoint's completion webhooks are signed (lib/http/webhook-signing.ts).
// Rows that exist now keep what their receivers verify today (`legacy`: X-ATS-Signature, plus the
// Standard Webhooks headers keyed with the same secret); rows created from now on sign the
// Standard Webhooks way only. The column default is therefore `legacy` while existing rows are
// filled, then `standard`.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['sources', 'webhook_endpoints']) {
    await sql`
      alter table ${sql.table(table)}
        add column signing_mode text not null default 'legacy' check (signing_mode in ('standard', 'legacy'))
    `.execute(db);
    await sql`alter table ${sql.table(table)} alter column signing_mode set default 'standard'`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['sources', 'webhook_endpoints']) {
    await sql`alter table ${sql.table(table)} drop column if exists signing_mode`.execute(db);
  }
}
