/**
 * `npm run mock-source`: the mock receiver on its own, for the demo sources and manual testing.
 * Listens on 127.0.0.1:$MOCK_SOURCE_PORT (default 4010); control page at /_mock.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { envSchema, parseEnv } from '@/lib/env';
import { startMockSource } from '@/scripts/mock-source/server';

// Variables already set in the environment win over the .env file.
if (existsSync('.env')) process.loadEnvFile('.env');

// Only the variable this script needs: the mock must start without a database configured.
const mockEnvSchema = z.object({ MOCK_SOURCE_PORT: envSchema.shape.MOCK_SOURCE_PORT });

try {
  const { MOCK_SOURCE_PORT } = parseEnv(process.env, mockEnvSchema);
  const mock = await startMockSource({ port: MOCK_SOURCE_PORT });
  process.stdout.write(`mock source listening on ${mock.url} (control page ${mock.url}/_mock)\n`);
  const stop = async () => {
    await mock.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  process.stderr.write(`mock source failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
