import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';

/** The production web server: what the container image's CMD and `npm start` both run. */
export function standaloneServer(root: string): string {
  return path.join(root, '.next', 'standalone', 'server.js');
}

/**
 * `next build` with `output: 'standalone'` leaves the browser assets (.next/static, public/) out of
 * .next/standalone, expecting a CDN to serve them. We serve them from the same server, so they are
 * copied beside it: the folder is then the whole web app, laid out as in the image's /app.
 */
export function completeStandalone(root: string): void {
  const out = path.join(root, '.next', 'standalone');
  if (!existsSync(standaloneServer(root))) {
    throw new Error(
      `${path.relative(root, standaloneServer(root))} is missing: is output: 'standalone' set in next.config.mjs?`,
    );
  }
  rmSync(path.join(out, '.next', 'static'), { recursive: true, force: true });
  cpSync(path.join(root, '.next', 'static'), path.join(out, '.next', 'static'), { recursive: true });
  if (existsSync(path.join(root, 'public'))) {
    rmSync(path.join(out, 'public'), { recursive: true, force: true });
    cpSync(path.join(root, 'public'), path.join(out, 'public'), { recursive: true });
  }
}
