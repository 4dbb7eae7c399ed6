import { NextResponse } from 'next/server';
import { withApiSecurityHeaders } from '@/lib/api/security-headers';

async function notFound() {
  return withApiSecurityHeaders(
    NextResponse.json({ error: { code: 'not_found', message: 'no such API route' } }, { status: 404 }),
  );
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
