import { createDocument, type ZodOpenApiPathsObject } from 'zod-openapi';
import { buildOperation, type HttpMethod, type PathSpecs } from './operation';
import { adminPaths } from './admin';
import { alertsPaths } from './alerts';
import { recruitingPaths } from './recruiting';
import { sourcesPaths } from './sources';
import { syncPaths } from './sync';
import { syncAdminPaths } from './sync-admin';
import { systemPaths } from './system';
import { usersPaths } from './users';
import { webhooksPaths } from './webhooks';

/**
 * Every path of the API, one file per domain. A new route: add its entry to its domain's file (or a
 * new file listed here); lib/api/openapi/coverage.test.ts fails until route and entry match.
 */
export const PATH_SPECS: PathSpecs[] = [
  syncPaths,
  sourcesPaths,
  syncAdminPaths,
  recruitingPaths,
  webhooksPaths,
  alertsPaths,
  adminPaths,
  usersPaths,
  systemPaths,
];

export const API_VERSION = '1.0.0';

function allPaths(): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const specs of PATH_SPECS) {
    for (const [path, operations] of Object.entries(specs)) {
      if (paths[path]) throw new Error(`${path} is documented twice`);
      paths[path] = Object.fromEntries(
        Object.entries(operations).map(([method, spec]) => [method, buildOperation(method as HttpMethod, spec, path)]),
      );
    }
  }
  return paths;
}

let built: ReturnType<typeof createDocument> | null = null;

/** The OpenAPI 3.1 document, built once per process from the zod schemas the routes validate with. */
export function getOpenApiDocument(): ReturnType<typeof createDocument> {
  built ??= createDocument({
    openapi: '3.1.0',
    info: {
      title: 'ATS Sync API',
      version: API_VERSION,
      description:
        'Moves hired candidates from the applicant tracking system to HR, payroll, onboarding and partner systems. ' +
        'Every refusal answers `{"error":{"code","message"}}` with the status its code names; the codes of each ' +
        'operation are listed under its answers.',
    },
    servers: [{ url: '/', description: 'This deployment' }],
    tags: [
      { name: 'Sync', description: 'Start a sync, follow it, retry or cancel it.' },
      { name: 'Sources', description: 'The systems candidates are delivered to (admins).' },
      { name: 'Sync admin', description: 'Every run and delivery, the dashboard (admins).' },
      { name: 'Jobs and candidates', description: 'Postings and their candidates.' },
      { name: 'Webhooks', description: 'Completion webhooks (admins).' },
      { name: 'Alerts', description: 'Email and Slack alerts: channels, rules, incidents (admins).' },
      { name: 'Schedules', description: 'Syncs on a cron (admins).' },
      { name: 'Users and tokens', description: 'Who you are, your API tokens; users (admins).' },
      { name: 'Audit', description: 'Who did what (admins).' },
      { name: 'System', description: 'Health, readiness, metrics and this document.' },
    ],
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API token (Settings → API tokens, or POST /api/v1/tokens): `Authorization: Bearer ats_…`. It acts as its owner, with their role.',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'next-auth.session-token',
          description:
            'The browser session after signing in (`__Secure-next-auth.session-token` over https). Requests other than GET also need the `x-csrf-token` header equal to the `ats_csrf` cookie.',
        },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'METRICS_TOKEN of the deployment, for Prometheus; not a user token.',
        },
      },
    },
    paths: allPaths(),
  });
  return built;
}
