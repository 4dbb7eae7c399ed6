import { NextResponse } from 'next/server';
import { otherMethods } from '@/lib/api/method-not-allowed';
import { getOpenApiDocument } from '@/lib/api/openapi/document';
import { withApiSecurityHeaders } from '@/lib/api/security-headers';

/**
 * The OpenAPI 3.1 document. Public, as the API references of the field are: it describes the
 * routes, never data, and client generators and CI fetch it without a token. Not route(): nothing
 * to authenticate, no database.
 */
export function GET(): Response {
  return withApiSecurityHeaders(
    NextResponse.json(getOpenApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } }),
  );
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
