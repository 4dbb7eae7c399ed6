import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';
import { ERROR_STATUS, type ErrorCode } from '@/lib/errors';
import type { RouteScope } from '@/lib/tokens/scopes';
import { ROUTE_SCOPES } from './route-scopes.generated';

export type Access = 'public' | 'user' | 'admin';
export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

type Answer = {
  description: string;
  /** The answer's zod schema; left out for an answer without a body (204, 304). */
  schema?: z.ZodType;
  example?: unknown;
  headers?: ZodOpenApiResponseObject['headers'];
  /** Another media type than JSON (Prometheus text), or several (an export: CSV or JSON Lines). */
  contentType?: string | readonly string[];
};

/**
 * One operation of the document, in the terms route() uses: who may call it, the same zod schemas
 * for params, query and body that the route file hands to route(), the answers and the domain error
 * codes its service throws. The wrapper's own refusals (401, 403, 404 for params, 400/413/415/422 for
 * input, 405) are added here from those facts, so an entry cannot forget them.
 */
export type OperationSpec = {
  access: Access;
  /** Not route(): a handler that authenticates by itself (health, metrics) and answers none of its refusals. */
  bare?: boolean;
  tags: [string, ...string[]];
  operationId: string;
  summary: string;
  description?: string;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  bodyOptional?: boolean;
  /** Named request bodies: the contract test sends each of them to the running server. */
  bodyExamples?: Record<string, { summary: string; value: unknown }>;
  /** Query strings the contract test sends (and the reference shows). */
  queryExamples?: Record<string, { summary: string; value: Record<string, string> }>;
  answers: Partial<Record<200 | 201 | 202 | 204 | 304 | 503, Answer>>;
  /** Domain codes the service can answer with (lib/errors.ts gives each its status). */
  errors?: ErrorCode[];
  security?: ZodOpenApiOperationObject['security'];
  /** Refused (403 forbidden) to an API token: token management is done signed in (or with the CLI). */
  sessionOnly?: boolean;
  /**
   * A write a viewer may call (route()'s `viewerMay`): it changes only the caller's own account, or
   * it is a read sent as POST. Every other write refuses a viewer with 403 forbidden.
   */
  viewerMay?: boolean;
};

const SAFE = new Set<HttpMethod>(['get']);

const ROLE_EXTENSION = 'x-required-role';
// Issue 23: whether the read-only viewer role may call the operation.
const VIEWER_EXTENSION = 'x-viewer-allowed';
const SCOPE_EXTENSION = 'x-required-scope';
export const EXAMPLES_EXTENSION = 'x-query-examples';

const ERROR_EXAMPLE_MESSAGES: Partial<Record<ErrorCode, string>> = {
  unauthorized: 'sign in or send an API token (Authorization: Bearer <token>)',
  invalid_token: 'the API token is not valid',
  forbidden: 'this needs the admin role',
  csrf_failed: 'cross-site request refused: missing CSRF token',
  method_not_allowed: 'this URL takes GET',
  validation_failed: 'name: is required',
  invalid_json: 'the request body is not valid JSON',
  invalid_query: 'limit: must be a whole number from 1 to 100',
  not_found: 'not found',
};

/** The codes each status of this operation can carry, wrapper refusals included. */
function errorCodesOf(method: HttpMethod, spec: OperationSpec, scope?: RouteScope): Map<number, ErrorCode[]> {
  const codes = new Set<ErrorCode>(['method_not_allowed']);
  if (!spec.bare) {
    if (spec.access !== 'public') codes.add('unauthorized');
    // A public route still reads a credential when one is sent, and refuses a bad one.
    codes.add('invalid_token');
    if (spec.access === 'admin' || spec.sessionOnly) codes.add('forbidden');
    if (spec.access !== 'public' && !viewerAllowed(method, spec)) codes.add('forbidden');
    // A token without the route's scope (RFC 6750: with WWW-Authenticate naming it).
    if (scope && scope !== 'any' && scope !== 'session' && !spec.sessionOnly) codes.add('insufficient_scope');
    if (!SAFE.has(method)) codes.add('csrf_failed');
    if (spec.params) codes.add('not_found');
    if (spec.query) codes.add('invalid_query');
    if (spec.body) {
      for (const c of ['invalid_json', 'payload_too_large', 'unsupported_media_type', 'validation_failed'] as const)
        codes.add(c);
    }
  }
  for (const c of spec.errors ?? []) codes.add(c);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

function errorAnswer(codes: ErrorCode[]) {
  const schema = z.strictObject({
    error: z.strictObject({
      code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.unknown().optional().meta({ description: 'Per-field problems, e.g. [{ "path", "message" }].' }),
    }),
  });
  return {
    description: `Refused: ${codes.map((c) => `\`${c}\``).join(', ')}.`,
    content: {
      'application/json': {
        schema,
        example: {
          error: { code: codes[0], message: ERROR_EXAMPLE_MESSAGES[codes[0]] ?? codes[0].replace(/_/g, ' ') },
        },
      },
    },
  };
}

/** Viewers read everything an admin reads and change nothing, bar their own account. */
function viewerAllowed(method: HttpMethod, spec: OperationSpec): boolean {
  return SAFE.has(method) || spec.viewerMay === true;
}

const ROLE_TEXT: Record<Access, { read: string; write: string }> = {
  public: { read: 'No sign-in needed.', write: 'No sign-in needed.' },
  user: {
    read: 'Any signed-in user (recruiter, admin or viewer), by session cookie or API token.',
    write:
      'A recruiter or an admin, by session cookie or API token. A viewer (read-only role) is refused with 403 forbidden.',
  },
  admin: {
    read: 'Admins, and viewers (the read-only role), by session cookie or their API token.',
    write:
      'Admins only, by session cookie or an admin\u2019s API token. A viewer (read-only role) is refused with 403 forbidden.',
  },
};
const VIEWER_MAY_TEXT: Record<Access, string> = {
  public: 'No sign-in needed.',
  user: 'Any signed-in user, viewers included: it changes only their own account.',
  admin: 'Admins, and viewers (the read-only role): it changes nothing.',
};

function roleText(method: HttpMethod, spec: OperationSpec): string {
  if (spec.viewerMay && !SAFE.has(method)) return VIEWER_MAY_TEXT[spec.access];
  return ROLE_TEXT[spec.access][SAFE.has(method) ? 'read' : 'write'];
}
const SESSION_ONLY_TEXT = 'Signed in (session cookie) only: an API token is refused with 403 forbidden.';
const SESSION_ONLY_VIEWER_TEXT = ' Viewers too: it changes only their own account.';

const USER_SECURITY: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];

/** What a token needs for this operation, in words (ROUTE_SCOPES: the route file's own choice). */
function scopeText(scope: RouteScope | undefined): string | null {
  if (!scope || scope === 'session') return null;
  return scope === 'any'
    ? '**Token scope:** none needed (any token).'
    : `**Token scope:** \`${scope}\` (or its write scope).`;
}

export function buildOperation(method: HttpMethod, spec: OperationSpec, path = ''): ZodOpenApiOperationObject {
  const scope = ROUTE_SCOPES[`${method.toUpperCase()} ${path.length > 1 ? path.replace(/\/$/, '') : path}`];
  // OpenAPI 3.1 lets a requirement of a non-OAuth2 scheme list what it needs: the token's scope.
  const userSecurity =
    scope && scope !== 'any' && scope !== 'session' ? [{ bearerAuth: [scope] }, { sessionCookie: [] }] : USER_SECURITY;
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, answer] of Object.entries(spec.answers)) {
    responses[status as '200'] = {
      description: answer.description,
      ...(answer.headers ? { headers: answer.headers } : {}),
      ...(answer.schema
        ? {
            content: Object.fromEntries(
              [answer.contentType ?? 'application/json']
                .flat()
                .map((type) => [
                  type,
                  { schema: answer.schema, ...(answer.example === undefined ? {} : { example: answer.example }) },
                ]),
            ),
          }
        : {}),
    };
  }
  for (const [status, codes] of [...errorCodesOf(method, spec, scope)].sort(([a], [b]) => a - b)) {
    responses[String(status) as '400'] = errorAnswer(codes);
  }
  const cookieNote = SAFE.has(method)
    ? ''
    : ' With the session cookie, also send the `x-csrf-token` header equal to the `ats_csrf` cookie and an `Origin` of the app.';
  return {
    operationId: spec.operationId,
    tags: spec.tags,
    summary: spec.summary,
    description: [
      spec.description,
      `**Access:** ${spec.sessionOnly ? `${SESSION_ONLY_TEXT}${spec.viewerMay ? SESSION_ONLY_VIEWER_TEXT : ''}` : roleText(method, spec)}${spec.bare ? '' : cookieNote}`,
      spec.sessionOnly ? null : scopeText(scope),
    ]
      .filter(Boolean)
      .join('\n\n'),
    [ROLE_EXTENSION]: spec.access,
    ...(spec.access === 'public' ? {} : { [VIEWER_EXTENSION]: viewerAllowed(method, spec) }),
    ...(scope ? { [SCOPE_EXTENSION]: scope } : {}),
    security:
      spec.security ??
      (spec.sessionOnly ? [{ sessionCookie: [] }] : spec.access === 'public' ? [{}, ...userSecurity] : userSecurity),
    ...(spec.params || spec.query
      ? {
          requestParams: {
            ...(spec.params ? { path: spec.params } : {}),
            ...(spec.query ? { query: spec.query as z.ZodObject } : {}),
          },
        }
      : {}),
    ...(spec.queryExamples ? { [EXAMPLES_EXTENSION]: spec.queryExamples } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: !spec.bodyOptional,
            content: {
              'application/json': {
                schema: spec.body,
                ...(spec.bodyExamples ? { examples: spec.bodyExamples } : {}),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

/** A path's operations, by method. */
export type PathSpecs = Record<string, Partial<Record<HttpMethod, OperationSpec>>>;
