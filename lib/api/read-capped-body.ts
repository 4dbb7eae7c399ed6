import { AppError } from '@/lib/errors';

/**
 * The request body as text, refused with 413 as soon as it passes `maxBytes`: by its declared
 * length before reading anything, or while streaming when it is sent chunked, so an oversized
 * body is never held in memory whole.
 */
export async function readCappedText(req: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new AppError('payload_too_large', `the request body is larger than ${formatBytes(maxBytes)}`);
  if (Number(req.headers.get('content-length') ?? '0') > maxBytes) throw tooLarge();
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  return n % 1024 === 0 ? `${n / 1024} KB` : `${n} bytes`;
}
