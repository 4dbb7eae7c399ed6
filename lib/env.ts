import { z } from 'zod';
import { blockListOf, type Cidr, normalizeAddress, parseCidr } from './http/cidr';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1' || v === 'yes'));

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The one configuration schema shared by web, worker, CLI and tests.
 * Every variable is listed with its default in .env.example.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .min(1)
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL'),
  EMBEDDED_PG_PORT: int(54329, 1, 65535),
  DATA_DIR: z.string().min(1).default('.data'),
  DB_POOL_MAX: int(10, 1, 200),
  PGBOSS_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
    .default('pgboss'),
  PORT: int(3000, 1, 65535),
  APP_URL: z.string().url().optional(),
  NEXTAUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  APP_ENCRYPTION_KEY: z.string().optional(),
  APP_ENCRYPTION_KEY_PREVIOUS: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FILE: z.string().optional(),
  LOG_FILE_SIZE: z
    .string()
    .regex(/^\d+[kmg]?$/i, 'must be a size such as 10m')
    .default('10m'),
  LOG_FILE_FREQUENCY: z.enum(['daily', 'hourly']).default('daily'),
  SEED_DEMO: bool(true),
  // Worker knobs mirror the original design's Q_CLUSTER settings.
  WORKER_CONCURRENCY: int(4, 1, 256),
  JOB_TIMEOUT_SECONDS: int(90, 5, 3600),
  RETRY_DELAY_SECONDS: int(2, 0, 3600),
  SYNC_BATCH_SIZE: int(10, 1, 1000),
  // Sync on hire (issue 21): seconds a posting's changes are gathered before their run starts.
  SYNC_ON_HIRE_DELAY_SECONDS: int(2, 0, 300),
  SYNC_HISTORY_DAYS: int(90, 1, 3650),
  AUDIT_RETENTION_DAYS: int(365, 1, 36500),
  SCHEDULE_CATCH_UP: bool(false),
  MOCK_SOURCE_PORT: int(4010, 1, 65535),
  // Operations (issue 7): health of sources, completion webhooks, metrics, maintenance.
  SOURCE_UNHEALTHY_AFTER: int(5, 1, 1000),
  WEBHOOK_MAX_ATTEMPTS: int(8, 1, 50),
  WEBHOOK_RETRY_DELAY_SECONDS: int(10, 0, 3600),
  // hooks (issue 22 item 4): an endpoint whose every attempt failed for this many days is disabled; 0 never.
  WEBHOOK_DISABLE_AFTER_DAYS: int(5, 0, 365),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  MAINTENANCE_CRON: z
    .string()
    .regex(/^\S+( \S+){4,5}$/, 'must be a cron expression such as "0 3 * * *"')
    .default('0 3 * * *'),
  // Outbound destination guard (issue 12, item 1): internal ranges are closed unless opened here.
  OUTBOUND_ALLOW_CIDRS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const cidrs: Cidr[] = [];
      for (const item of value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const cidr = parseCidr(item);
        if (cidr) cidrs.push(cidr);
        else ctx.addIssue({ code: 'custom', message: `"${item}" is not a CIDR such as 10.0.0.0/8 or fd00::/8` });
      }
      return cidrs;
    }),
  OUTBOUND_ALLOW_PRIVATE: bool(false),
  // Sign-in (issue 12 item 9): reverse proxies in front of the web server whose X-Forwarded-For
  // entry is believed; 0 means the socket's own address is the client.
  TRUSTED_PROXY_HOPS: int(0, 0, 10),
  // Status endpoint speed (issue 19): a Server-Timing header on API answers (auth, params, handler,
  // json, metrics), for `npm run bench:status` and developer tools; off, since it tells callers
  // how long our checks take.
  API_SERVER_TIMING: bool(false),
  // sso (issue 23 item 2): OpenID Connect sign-in beside (or instead of) passwords. Judged together
  // in ssoProblems below; read through lib/auth/sso/config.ts.
  OIDC_ISSUER: z
    .string()
    .url('must be the issuer URL, such as https://login.example.com/realms/acme')
    .refine((v) => /^https?:\/\//i.test(v), 'must be an https:// URL')
    .refine((v) => !/[?#]/.test(v), 'must not carry a query or a fragment')
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  OIDC_CLIENT_ID: z.string().max(512).optional(),
  OIDC_CLIENT_SECRET: z.string().max(4096).optional(),
  OIDC_DISPLAY_NAME: z.string().trim().min(1).max(60).default('single sign-on'),
  OIDC_SCOPES: z
    .string()
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'must be scopes separated by single spaces')
    .refine((v) => v.split(' ').includes('openid'), 'must include openid')
    .default('openid email profile'),
  OIDC_ALLOWED_DOMAINS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const domains = value
        .split(',')
        .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
        .filter(Boolean);
      for (const d of domains)
        if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d))
          ctx.addIssue({ code: 'custom', message: `"${d}" is not a domain such as example.com` });
      return domains;
    }),
  OIDC_ROLE_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_:/-]+(\.[A-Za-z0-9_:/-]+)*$/, 'must be a claim name or a dot path such as realm_access.roles')
    .optional(),
  OIDC_ROLE_MAP: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const entries: { group: string; role: 'admin' | 'recruiter' | 'viewer' }[] = [];
      for (const item of value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const m = /^(.+)=(admin|recruiter|viewer)$/.exec(item);
        const group = m?.[1].trim();
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
        if (!m || !group || /[\u0000-\u001f\u007f]/.test(group))
          ctx.addIssue({ code: 'custom', message: `"${item}" is not group=role with role admin, recruiter or viewer` });
        else entries.push({ group, role: m[2] as 'admin' | 'recruiter' | 'viewer' });
      }
      return entries;
    }),
  OIDC_DEFAULT_ROLE: z.enum(['recruiter', 'viewer', 'none']).default('none'),
  OIDC_CREATE_USERS: bool(true),
  PASSWORD_SIGN_IN: z.enum(['enabled', 'disabled']).default('enabled'),
  // alerts (issue 23 item 1): the SMTP server alert emails go through (smtp:// or smtps://, with
  // user:password; the password is never logged or answered), their From, and how often the
  // evaluator runs in each web and worker process.
  SMTP_URL: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    // The message never quotes the value: it carries the SMTP password.
    .refine((v) => v === undefined || isSmtpUrl(v), 'must be smtp://user:password@host:port or smtps://…'),
  ALERT_EMAIL_FROM: z.string().trim().max(254).optional(),
  ALERTS_EVALUATE_SECONDS: int(15, 1, 3600),
});

/**
 * What one OIDC field cannot say about another: half a configuration, a role map with no claim to
 * read, an http issuer outside the loopback addresses OUTBOUND_ALLOW_CIDRS opened, passwords off
 * with no other way in.
 */
function ssoProblems(env: Partial<Env>): string[] {
  const keys = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
  const present = keys.filter((k) => env[k]);
  const missing = keys.filter((k) => !env[k]);
  if (present.length === 0) {
    return env.PASSWORD_SIGN_IN === 'disabled'
      ? ['PASSWORD_SIGN_IN=disabled needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or nobody could sign in']
      : [];
  }
  if (missing.length) return [`${present.join(' and ')} set without ${missing.join(' and ')}: set all three, or none`];
  const problems: string[] = [];
  if (env.OIDC_ROLE_MAP?.length && !env.OIDC_ROLE_CLAIM)
    problems.push('OIDC_ROLE_MAP needs OIDC_ROLE_CLAIM, the claim that holds the groups or roles');
  const issuer = new URL(env.OIDC_ISSUER as string);
  if (issuer.protocol === 'http:') {
    const ip = normalizeAddress(issuer.hostname === 'localhost' ? '127.0.0.1' : issuer.hostname);
    const loopback = ip && (ip.family === 'ipv4' ? ip.address.startsWith('127.') : ip.address === '::1');
    if (!ip || !loopback || !blockListOf(env.OUTBOUND_ALLOW_CIDRS ?? []).check(ip.address, ip.family))
      problems.push(
        'OIDC_ISSUER: must be https:// (http:// only on a loopback address opened by OUTBOUND_ALLOW_CIDRS)',
      );
  }
  return problems;
}

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** What the launcher needs before a database exists: the same schema, DATABASE_URL optional. */
export const launcherEnvSchema = envSchema.extend({ DATABASE_URL: envSchema.shape.DATABASE_URL.optional() });

export function parseEnv(source: Record<string, string | undefined>): Env;
export function parseEnv<S extends z.ZodType>(source: Record<string, string | undefined>, schema: S): z.output<S>;
export function parseEnv(source: Record<string, string | undefined>, schema: z.ZodType = envSchema): unknown {
  // Empty strings mean "unset", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  // sso: the OIDC settings are judged together once each is valid on its own.
  const related = result.success ? ssoProblems(result.data as Partial<Env>) : [];
  if (related.length) throw new ConfigError(related);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return issue.code === 'invalid_type' && cleaned[name] === undefined
          ? `${name} is required`
          : `${name}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}

let cached: Env | undefined;

/** Parsed once per process, lazily, so that `next build` does not need a database URL. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function appUrl(env: Env = getEnv()): string {
  return (env.APP_URL ?? process.env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
}
