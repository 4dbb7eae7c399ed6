import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { standaloneServer } from './standalone';

/** What `next build` reads: a change in any of these makes `npm start` build again. */
const BUILD_INPUTS = [
  'app',
  'lib',
  'db',
  'public',
  'proxy.ts',
  'instrumentation.ts',
  'instrumentation-client.ts',
  'next.config.mjs',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
];

function sourceHash(root: string): string {
  const hash = createHash('sha256');
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (name === 'node_modules' || name.startsWith('.') || /\.test\.tsx?$/.test(name)) continue;
        walk(path.join(p, name));
      }
    } else {
      hash.update(path.relative(root, p));
      hash.update(readFileSync(p));
    }
  };
  for (const input of BUILD_INPUTS) walk(path.join(root, input));
  return hash.digest('hex');
}

const markerPath = (root: string) => path.join(root, '.next', 'ats-build-hash');

export function isBuildCurrent(root: string): boolean {
  const marker = markerPath(root);
  return (
    existsSync(marker) &&
    existsSync(path.join(root, '.next', 'BUILD_ID')) &&
    // A build from before output: 'standalone' has no server to run.
    existsSync(standaloneServer(root)) &&
    readFileSync(marker, 'utf8') === sourceHash(root)
  );
}

export function markBuilt(root: string): void {
  writeFileSync(markerPath(root), sourceHash(root));
}
