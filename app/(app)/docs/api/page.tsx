import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/session';
import { ApiReferenceClient } from './api-reference-client';

export const metadata: Metadata = { title: 'API reference' };

// The bundle's URL carries the installed version, so it is cached for good and a new one is fetched.
const scalarVersion = (): string =>
  JSON.parse(readFileSync(path.join(process.cwd(), 'node_modules/@scalar/api-reference/package.json'), 'utf8')).version;

/** The API reference (Scalar), rendered from GET /api/openapi.json. */
export default async function ApiReferencePage() {
  await requireUser('/docs/api');
  return (
    <>
      <h1 className="sr-only">API reference</h1>
      <p className="mb-4 text-sm text-slate-600">
        The OpenAPI 3.1 document is at{' '}
        <a className="underline" href="/api/openapi.json">
          /api/openapi.json
        </a>
        . Create a token under{' '}
        <a className="underline" href="/settings/tokens">
          API tokens
        </a>{' '}
        and send it as <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <ApiReferenceClient scriptUrl={`/docs/api/scalar.js?v=${scalarVersion()}`} />
    </>
  );
}
