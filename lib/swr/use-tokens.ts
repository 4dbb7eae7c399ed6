import useSWR from 'swr';
import { apiFetch, swrFetcher } from '@/lib/client/api-fetch';
import type { CreateTokenInput, PublicToken } from '@/lib/tokens/schemas';

const KEY = '/api/v1/tokens';

type TokenList = { data: PublicToken[] };

/** The signed-in user's own API tokens; `initial` is what the server page already loaded. */
export function useTokens(initial?: PublicToken[]) {
  const { data, error, isLoading, mutate } = useSWR<TokenList>(KEY, swrFetcher, {
    fallbackData: initial ? { data: initial } : undefined,
  });

  /** The clear token is in the answer to this call only; the list never has it. */
  async function createToken(input: CreateTokenInput): Promise<{ token: string; record: PublicToken }> {
    const created = await apiFetch<{ token: string; record: PublicToken }>(KEY, { method: 'POST', body: input });
    await mutate((list) => list && { data: [created.record, ...list.data] }, { revalidate: true });
    return created;
  }

  async function revokeToken(id: string): Promise<PublicToken> {
    const token = await apiFetch<PublicToken>(`${KEY}/${id}`, { method: 'DELETE' });
    await mutate((list) => list && { data: list.data.map((t) => (t.id === id ? token : t)) }, { revalidate: true });
    return token;
  }

  return {
    tokens: data?.data ?? [],
    error: error as Error | undefined,
    isLoading,
    reload: () => mutate(),
    createToken,
    revokeToken,
  };
}

/** An admin's view of another user's tokens; null `userId` loads nothing (no dialog open). */
export function useUserTokens(userId: string | null) {
  const key = userId ? `/api/v1/users/${userId}/tokens` : null;
  const { data, error, isLoading, mutate } = useSWR<TokenList>(key, swrFetcher);

  async function revokeToken(id: string): Promise<PublicToken> {
    const token = await apiFetch<PublicToken>(`${key}/${id}`, { method: 'DELETE' });
    await mutate((list) => list && { data: list.data.map((t) => (t.id === id ? token : t)) }, { revalidate: true });
    return token;
  }

  return {
    tokens: data?.data,
    error: error as Error | undefined,
    isLoading,
    reload: () => mutate(),
    revokeToken,
  };
}
