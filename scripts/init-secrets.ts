/**
 * `node --import tsx scripts/init-secrets.ts <folder>`: the first one-off of compose.yaml. Generates,
 * once, the secrets every process of a deployment must share, into <folder> (a volume):
 *  - secrets.env: NEXTAUTH_SECRET, APP_ENCRYPTION_KEY and PGPASSWORD, read by web, worker, migrate
 *    and CLI with `node --env-file-if-exists` (a variable set in the environment wins over the file);
 *  - postgres-password: the same database password, for the PostgreSQL image's POSTGRES_PASSWORD_FILE.
 * Files that exist are left alone, so running it again changes nothing and a restored volume keeps
 * the key its encrypted credentials need.
 */
import { writeContainerSecrets } from './lib/container-secrets';

const folder = process.argv[2];
if (!folder || process.argv.length > 3) {
  console.error('usage: node --import tsx scripts/init-secrets.ts <folder>');
  process.exit(2);
}
try {
  const written = writeContainerSecrets(folder);
  console.log(
    written.length ? `generated ${written.join(', ')} in ${folder}` : `secrets in ${folder} kept as they are`,
  );
} catch (err) {
  console.error(`could not write the secrets: ${(err as Error).message}`);
  process.exit(1);
}
