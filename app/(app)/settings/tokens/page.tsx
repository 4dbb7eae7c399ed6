import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { appUrl } from '@/lib/env';
import { listApiTokens } from '@/lib/tokens/service';
import { TokensClient } from './tokens-client';

export const metadata: Metadata = { title: 'API tokens' };

export default async function TokensPage() {
  const actor = await requireUser('/settings/tokens');
  const tokens = await listApiTokens(getDb(), actor);
  return <TokensClient initialTokens={tokens} apiBaseUrl={appUrl()} role={actor.role} />;
}
