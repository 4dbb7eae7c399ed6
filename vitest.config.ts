import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\/(.*)$/, replacement: `${root}/$1` },
      // `server-only` throws outside a React server bundle; tests import server modules directly.
      { find: /^server-only$/, replacement: `${root}/test/setup/empty-module.ts` },
    ],
  },
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', '.next/**', '.data/**', 'e2e/**'],
    globalSetup: ['test/setup/global-setup.ts'],
    setupFiles: ['test/setup/database-per-file.ts'],
    // Tests that hold on a busy machine (issue 19, item 5): tests wait on events, and these bounds
    // only end a test that is broken, so they are generous enough for CPU hogs and parallel runs.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most integration tests wait on other processes (a worker, PostgreSQL, a receiver), so one
    // file at a time (vitest's default on 2 cores: cores - 1) left the machine idle most of a run.
    // Files are isolated (a database each; a file that restarts PostgreSQL has its own cluster).
    maxWorkers: Number(process.env.TEST_MAX_WORKERS) || Math.max(3, os.availableParallelism() + 1),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      NEXTAUTH_SECRET: 'test-secret-test-secret-test-secret-0123',
      APP_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      RETRY_DELAY_SECONDS: '0',
      // Outbound destination guard (issue 12, item 1): the tests' receivers listen on loopback.
      OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8,::1/128',
    },
  },
});
