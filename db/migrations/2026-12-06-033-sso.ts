import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
//
// sso (issue 23 item 2): a user signed in with OpenID Connect is found by the issuer and the
// subject the issuer gave them, not by email (an email changes, and the same email at another
// issuer is another person). One link per issuer per user. A user created on first SSO sign-in
// has no password: password_hash becomes nullable, and a null hash never matches.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user_identities')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_sign_in_at', 'timestamptz')
    .addUniqueConstraint('user_identities_issuer_subject_key', ['issuer', 'subject'])
    .addUniqueConstraint('user_identities_user_issuer_key', ['user_id', 'issuer'])
    .execute();
  await db.schema
    .alterTable('users')
    .alterColumn('password_hash', (c) => c.dropNotNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // SSO-only users cannot exist without a password hash: they get one that matches no password.
  await sql`update users set password_hash = '!sso-only' where password_hash is null`.execute(db);
  await db.schema
    .alterTable('users')
    .alterColumn('password_hash', (c) => c.setNotNull())
    .execute();
  await db.schema.dropTable('user_identities').execute();
}
