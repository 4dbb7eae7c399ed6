import type { Migration } from 'kysely/migration';
import * as foundation from './2026-11-28-001-foundation';

/**
 * Every migration, by name, in order. Listed statically (not read from the folder) so that the
 * same list works under tsx, vitest and any bundler. Add new ones at the end.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-28-001-foundation': foundation,
};
