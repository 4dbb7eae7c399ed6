import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '..', '..');

/**
 * The bench's baseline (scripts/bench/status-endpoint.ts): the product's own `next` package with
 * nothing of the product. Its build goes to .data/, so it never touches the product's .next and
 * tsc, biome and vitest (which leave .data out) never see it.
 */
const nextConfig = {
  distDir: path.relative(here, path.join(root, '.data', 'bench-baseline-next')),
  poweredByHeader: false,
  serverExternalPackages: ['pg'],
  turbopack: { root },
};

export default nextConfig;
