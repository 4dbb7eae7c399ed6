import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
// next-auth's own handler, and the API's catch-all 404 (which answers every method).
const NOT_OURS = new Set(['app/api/auth/[...nextauth]/route.ts', 'app/api/[...path]/route.ts']);

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(p);
    return e.name === 'route.ts' ? [p] : [];
  });
}

describe('a method a URL does not take', () => {
  const files = routeFiles('app').filter((f) => !NOT_OURS.has(f));

  it("is answered by every route with 405, Allow and the error body (never Next.js's empty 405)", async () => {
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const mod = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, unknown>;
      const handlers = METHODS.filter((m) => typeof mod[m] === 'function');
      expect(handlers, file).toEqual(METHODS);
      // No route of ours takes PUT: its handler is the one that refuses, shared by every other
      // method the route does not take; only those are called.
      const refused = METHODS.filter((m) => mod[m] === mod.PUT);
      let answered = 0;
      for (const m of refused) {
        const res = await Promise.resolve()
          .then(() =>
            (mod[m] as (...args: unknown[]) => Response | Promise<Response>)(
              new Request('http://localhost/x', { method: m }),
              {
                params: Promise.resolve({}),
              },
            ),
          )
          .catch(() => null);
        if (res?.status !== 405) continue;
        answered += 1;
        expect(res.headers.get('content-type'), `${m} ${file}`).toMatch(/^application\/json/);
        expect(await res.json(), `${m} ${file}`).toEqual({
          error: { code: 'method_not_allowed', message: expect.stringMatching(/^this URL takes /) },
        });
        const allow = res.headers.get('allow')!.split(', ');
        expect(allow, `${m} ${file}`).not.toContain(m);
        expect(allow).toContain('OPTIONS');
      }
      expect(answered, file).toBe(refused.length);
      // OPTIONS names what the URL takes, not the methods that refuse.
      const options = await (mod.OPTIONS as () => Promise<Response>)();
      expect(options.status, file).toBe(204);
      expect(options.headers.get('allow')!.split(', '), file).not.toContain('PUT');
    }
  });
});
