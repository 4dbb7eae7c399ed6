import type { Transaction } from 'kysely';
import type { Database } from '@/db/client';
import type { DB, NewUser, User, UserIdentity, UserUpdate } from '@/db/types';

type Db = Database | Transaction<DB>;

export function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function findUserById(db: Db, id: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export type UserWithLinks = User & { sso_linked: boolean };

/** Users with whether an identity provider's account is linked to them (issue 23 item 2). */
export function listUsers(db: Db): Promise<UserWithLinks[]> {
  return db
    .selectFrom('users')
    .selectAll('users')
    .select((eb) =>
      eb
        .exists(eb.selectFrom('user_identities').select('user_id').whereRef('user_id', '=', 'users.id'))
        .$castTo<boolean>()
        .as('sso_linked'),
    )
    .orderBy('is_active', 'desc')
    .orderBy('name')
    .execute();
}

export async function isSsoLinked(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom('user_identities').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

export function insertUser(db: Db, values: NewUser): Promise<User> {
  return db.insertInto('users').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateUserRow(db: Db, id: string, values: UserUpdate): Promise<User | undefined> {
  return db
    .updateTable('users')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('is_active', '=', true)
    .executeTakeFirstOrThrow();
  return row.n;
}

// sso (issue 23 item 2): the OpenID Connect accounts linked to users.

export function findUserByIdentity(db: Db, issuer: string, subject: string): Promise<User | undefined> {
  return db
    .selectFrom('user_identities')
    .innerJoin('users', 'users.id', 'user_identities.user_id')
    .selectAll('users')
    .where('user_identities.issuer', '=', issuer)
    .where('user_identities.subject', '=', subject)
    .forUpdate('users')
    .executeTakeFirst();
}

export function findIdentitiesOfUser(db: Db, userId: string): Promise<UserIdentity[]> {
  return db.selectFrom('user_identities').selectAll().where('user_id', '=', userId).execute();
}

export async function insertIdentity(db: Db, values: { userId: string; issuer: string; subject: string }) {
  await db
    .insertInto('user_identities')
    .values({ user_id: values.userId, issuer: values.issuer, subject: values.subject, last_sign_in_at: new Date() })
    .execute();
}

export async function touchIdentity(db: Db, issuer: string, subject: string): Promise<void> {
  await db
    .updateTable('user_identities')
    .set({ last_sign_in_at: new Date() })
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .execute();
}

export async function countLinkedUsers(db: Db, issuer: string): Promise<number> {
  const row = await db
    .selectFrom('user_identities')
    .select((eb) => eb.fn.count<string>('user_id').distinct().as('n'))
    .where('issuer', '=', issuer)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteIdentitiesOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await db.deleteFrom('user_identities').where('user_id', '=', userId).returning('issuer').execute();
  return rows.map((r) => r.issuer);
}
