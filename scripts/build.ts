/**
 * `npm run build`: a production build, completed into .next/standalone (the server the image and
 * `npm start` run), that `npm start` then recognises as current.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { markBuilt } from './lib/build-marker';
import { completeStandalone } from './lib/standalone';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
const result = spawnSync(process.execPath, [nextBin, 'build'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
if (result.status === 0) {
  completeStandalone(root);
  markBuilt(root);
}
process.exit(result.status ?? 1);
