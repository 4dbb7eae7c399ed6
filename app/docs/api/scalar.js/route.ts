import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { otherMethods } from '@/lib/api/method-not-allowed';

let bundle: Promise<Buffer> | undefined;

/**
 * Scalar's standalone bundle (the API reference at /docs/api), from our own origin: the page's
 * policy allows no CDN. Read from the installed package, once; its URL carries the version.
 */
export async function GET(): Promise<Response> {
  bundle ??= readFile(path.join(process.cwd(), 'node_modules/@scalar/api-reference/dist/browser/standalone.js'));
  return new Response(new Uint8Array(await bundle), {
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    },
  });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
