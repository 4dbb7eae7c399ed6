import { NextResponse } from 'next/server';
import type { Logger } from 'pino';
import { AppError } from '@/lib/errors';

/** Turns anything thrown into `{ error: { code, message } }`; unknown errors are logged and hidden. */
export function errorResponse(err: unknown, log: Logger): Response {
  if (err instanceof AppError) {
    return NextResponse.json(err.toBody(), { status: err.status, headers: err.headers });
  }
  log.error({ err }, 'unhandled error');
  return NextResponse.json({ error: { code: 'internal_error', message: 'internal error' } }, { status: 500 });
}
