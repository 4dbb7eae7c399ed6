import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { listRoutes, withoutTrailingSlash } from './route-table';

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

export type ApiServer = { url: string; close: () => Promise<void> };

/**
 * The app's route handlers behind a real node:http server on 127.0.0.1: each request is matched to
 * its route file by the folder names (as Next's router does for these routes) and handed to the
 * exported method handler as a NextRequest, with the path parameters Next would give it. The
 * Host is the app's (localhost:3000 in tests), so cookie requests pass the same origin check.
 */
export async function startApiServer(): Promise<ApiServer> {
  // Static segments win over dynamic ones, as in Next's router (tasks/count before tasks/{id}).
  const dynamicCount = (t: string) => (t.match(/\{/g) ?? []).length;
  const table = listRoutes()
    .sort((a, b) => dynamicCount(a.template) - dynamicCount(b.template))
    .map((r) => ({ ...r, pattern: new RegExp(`^${r.template.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`) }));
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost:3000');
      const match = table.map((r) => ({ r, m: r.pattern.exec(withoutTrailingSlash(url.pathname)) })).find((x) => x.m);
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const mod = match
        ? ((await import(/* @vite-ignore */ path.resolve(match.r.file))) as Record<string, Handler>)
        : null;
      const handler = mod?.[req.method ?? 'GET'];
      if (!match || !handler) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"error":{"code":"not_found","message":"no route"}}');
        return;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      headers.set('host', 'localhost:3000');
      const body = chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
      const nextReq = new NextRequest(url, { method: req.method, headers, body });
      const params = Object.fromEntries(
        Object.entries(match.m!.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]),
      );
      const answer = await handler(nextReq, { params: Promise.resolve(params) });
      const out: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        out[k] = v;
      });
      res.writeHead(answer.status, out);
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch (err) {
      res.writeHead(599, { 'content-type': 'text/plain' }).end(String((err as Error).stack));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
