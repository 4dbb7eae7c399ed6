import { NextResponse } from 'next/server';

async function notFound() {
  return NextResponse.json({ error: { code: 'not_found', message: 'no such API route' } }, { status: 404 });
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
