import { randomUUID } from 'node:crypto';
import { type NextRequest, NextResponse } from 'next/server';
import type { Logger } from 'pino';
import type { ZodType, z } from 'zod';
import type { Database } from '@/db/client';
import { type Actor, canReadAdmin, canWrite } from '@/lib/auth/actor';
import { readSessionToken } from '@/lib/auth/cookies';
import { CSRF_COOKIE, CSRF_HEADER, SAFE_METHODS, checkCsrf } from '@/lib/auth/csrf';
import { getDb } from '@/lib/db';
import { appUrl, getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { getLogger } from '@/lib/logger';
import { observeHttpRequest } from '@/lib/metrics/registry';
import { findHostileInput } from '@/lib/security/hostile-input';
import { type RouteScope, grants } from '@/lib/tokens/scopes';
import { authenticateApiToken } from '@/lib/tokens/service';
import { resolveSessionUser } from '@/lib/users/service';
import { clientIp } from './client-ip';
import { errorResponse } from './error-response';
import { readCappedText } from './read-capped-body';
import { withApiSecurityHeaders } from './security-headers';
import { ServerTiming } from './server-timing';

export const MAX_BODY_BYTES = 1024 * 1024;

export type Access = 'public' | 'user' | 'admin';

export type ViewerMay = 'own-account' | 'read-only';

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

export type HandlerArgs<A extends Access, P, Q, B> = {
  req: NextRequest;
  actor: A extends 'public' ? Actor | null : Actor;
  params: P;
  query: Q;
  body: B;
  db: Database;
  log: Logger;
  /** Ends a named part of this request's Server-Timing (when API_SERVER_TIMING is on), e.g. `db`. */
  mark: (name: string) => void;
};

type Infer<S> = S extends ZodType ? z.output<S> : undefined;

/**
 * The one wrapper every route handler goes through: authentication (session cookie or Bearer
 * token), role, CSRF for cookie requests, zod parsing of params, query and body, and error
 * mapping to `{ error: { code, message } }`. Handlers return data (sent as JSON 200) or a Response.
 */
export function route<
  A extends Access,
  PS extends ZodType | undefined = undefined,
  QS extends ZodType | undefined = undefined,
  BS extends ZodType | undefined = undefined,
>(
  options: {
    access: A;
    scope: RouteScope;
    params?: PS;
    query?: QS;
    body?: BS;
    bodyOptional?: boolean;
    /**
     * Why a viewer may call this method although it is not GET: it changes only the caller's own
     * account (their API tokens), or it is a read sent as POST (a preview) that changes nothing.
     */
    viewerMay?: ViewerMay;
  },
  handler: (args: HandlerArgs<A, Infer<PS>, Infer<QS>, Infer<BS>>) => Promise<unknown>,
) {
  const handle = async (req: NextRequest, context: RouteContext): Promise<Response> => {
    const timing = getEnv().API_SERVER_TIMING ? new ServerTiming() : null;
    const requestId = req.headers.get('x-request-id')?.slice(0, 100) || randomUUID();
    // Made when something is logged: a child logger per request cost every status poll ~10 µs,
    // and a poll that goes well logs nothing at the usual level.
    let requestLog: Logger | undefined;
    const log = () => (requestLog ??= getLogger().child({ requestId, method: req.method, path: req.nextUrl.pathname }));
    const started = performance.now();
    timing?.lap('setup');
    let response: Response;
    try {
      const db = getDb();
      const actor = await authenticate(req, db, options.access, options.viewerMay !== undefined);
      requireScope(actor, options.scope);
      timing?.lap('auth');
      const params = options.params ? parseOrThrow(options.params, (await context.params) ?? {}, 'params') : undefined;
      const query = options.query
        ? parseOrThrow(options.query, Object.fromEntries(req.nextUrl.searchParams), 'query')
        : undefined;
      const body = options.body ? await readBody(req, options.body, options.bodyOptional ?? false) : undefined;
      timing?.lap('input');
      let handlerLog: Logger | undefined;
      const result = await handler({
        req,
        actor: actor as HandlerArgs<A, Infer<PS>, Infer<QS>, Infer<BS>>['actor'],
        params: params as Infer<PS>,
        query: query as Infer<QS>,
        body: body as Infer<BS>,
        db,
        get log() {
          handlerLog ??= actor?.kind === 'user' ? log().child({ userId: actor.id }) : log();
          return handlerLog;
        },
        mark: (name) => timing?.lap(name),
      });
      timing?.lap('handler');
      response = result instanceof Response ? result : NextResponse.json(result ?? { ok: true });
      timing?.lap('json');
    } catch (err) {
      response = errorResponse(err, log());
      timing?.lap('error');
    }
    response.headers.set('x-request-id', requestId);
    response.headers.set('cache-control', response.headers.get('cache-control') ?? 'no-store');
    const ms = Math.round(performance.now() - started);
    await observeHttpRequest(req, context, response.status, performance.now() - started);
    timing?.lap('metrics');
    if (response.status >= 500) log().error({ status: response.status, ms }, 'request failed');
    else if (getLogger().isLevelEnabled('debug')) log().debug({ status: response.status, ms }, 'request');
    timing?.lap('log');
    if (timing) response.headers.set('server-timing', timing.header());
    return withApiSecurityHeaders(response);
  };
  // Read by the test that walks every route file (and by the API description): what each handler asks of a token.
  const meta: { access: Access; scope: RouteScope; viewerMay?: ViewerMay } = {
    access: options.access,
    scope: options.scope,
    viewerMay: options.viewerMay,
  };
  return Object.assign(handle, meta);
}

// Viewers (issue 23) read what admins read and change nothing: every method but GET/HEAD/OPTIONS is
// refused here, once, whatever the route's access, so a route added later cannot forget it.
function refuseViewerWrites(req: NextRequest, actor: Actor | null, viewerMay: boolean): void {
  if (actor?.kind !== 'user' || canWrite(actor) || viewerMay || SAFE_METHODS.has(req.method)) return;
  throw new AppError('forbidden', 'the viewer role can read but not change anything');
}

// Scopes (issue 22): a token's scopes, checked after its role, so an admin route still answers a
// recruiter's token `forbidden`. Sessions are limited only by their role.
function requireScope(actor: Actor | null, scope: RouteScope): void {
  if (actor?.kind !== 'user' || actor.via !== 'token' || scope === 'any') return;
  if (scope === 'session') {
    throw new AppError('forbidden', 'API tokens cannot do this: use a signed-in browser session or the CLI');
  }
  if (!grants(actor.scopes ?? [], scope)) {
    throw new AppError(
      'insufficient_scope',
      `this token lacks the scope ${scope}; create a token with it at /settings/tokens`,
      { required_scope: scope },
      // RFC 6750 §3.1: the scope a resource server asks for.
      { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
    );
  }
}

/** Who sent the request (session cookie or Bearer token), for handlers outside route(); throws on a bad token. */
export function findActor(req: NextRequest, db: Database): Promise<Actor | null> {
  return authenticate(req, db, 'public', false);
}

async function authenticate(req: NextRequest, db: Database, access: Access, viewerMay: boolean): Promise<Actor | null> {
  const ip = clientIp(req.headers);
  const authorization = req.headers.get('authorization');
  let actor: Actor | null = null;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new AppError('invalid_token', 'the Authorization header must be "Bearer <token>"');
    actor = await authenticateApiToken(db, match[1], ip);
  } else {
    const token = await readSessionToken(req, getEnv().NEXTAUTH_SECRET);
    if (token?.sub) {
      const user = await resolveSessionUser(db, token.sub, Number(token.sv));
      if (user) {
        actor = { kind: 'user', id: user.id, email: user.email, name: user.name, role: user.role, via: 'session', ip };
      }
    }
    if (actor && !SAFE_METHODS.has(req.method)) {
      const failure = checkCsrf({
        origin: req.headers.get('origin'),
        referer: req.headers.get('referer'),
        host: req.headers.get('x-forwarded-host') ?? req.headers.get('host'),
        appOrigin: new URL(appUrl()).origin,
        cookieToken: req.cookies.get(CSRF_COOKIE)?.value,
        headerToken: req.headers.get(CSRF_HEADER),
      });
      if (failure) throw new AppError('csrf_failed', `cross-site request refused: ${failure}`);
    }
  }
  refuseViewerWrites(req, actor, viewerMay);
  if (access === 'public') return actor;
  if (!actor) throw new AppError('unauthorized', 'sign in or send an API token (Authorization: Bearer <token>)');
  // A viewer's writes were refused above, so here it is only ever reading.
  if (access === 'admin' && !canReadAdmin(actor)) throw new AppError('forbidden', 'this needs the admin role');
  return actor;
}

function parseOrThrow<S extends ZodType>(schema: S, input: unknown, where: 'params' | 'query'): z.output<S> {
  // Before the schema, so no route can pass such text on to PostgreSQL (which refuses U+0000 with a 500).
  const hostile = findHostileInput(input);
  if (hostile.length > 0) {
    if (where === 'params') throw new AppError('not_found', 'not found');
    throw new AppError('invalid_query', summarize(hostile), hostile);
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  if (where === 'params') throw new AppError('not_found', 'not found');
  throw new AppError('invalid_query', describeIssues(result.error), issuesOf(result.error));
}

async function readBody<S extends ZodType>(req: NextRequest, schema: S, optional: boolean): Promise<z.output<S>> {
  const text = await readCappedText(req, MAX_BODY_BYTES);
  let raw: unknown;
  if (text.trim() === '') {
    if (!optional) throw new AppError('invalid_json', 'the request body must be a JSON object');
    raw = {};
  } else {
    const type = req.headers.get('content-type') ?? '';
    if (type && !/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
      throw new AppError('unsupported_media_type', 'send the body as application/json');
    }
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AppError('invalid_json', 'the request body is not valid JSON');
    }
  }
  // Zod drops a `__proto__` key silently and passes control characters on; both are refused here.
  const hostile = findHostileInput(raw);
  if (hostile.length > 0) throw new AppError('validation_failed', summarize(hostile), hostile);
  const result = schema.safeParse(raw);
  if (!result.success) throw new AppError('validation_failed', describeIssues(result.error), issuesOf(result.error));
  return result.data;
}

export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function describeIssues(error: z.ZodError): string {
  return summarize(issuesOf(error));
}

function summarize(issues: { path: string; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
}

/** JSON response with a status, for handlers that answer other than 200. */
export function json(data: unknown, status = 200, headers?: Record<string, string>): Response {
  return NextResponse.json(data, { status, headers });
}
