import useSWR from 'swr';
import { apiFetch, swrFetcher } from '@/lib/client/api-fetch';
import type { CreateUserInput, PublicUser, UpdatedUser, UpdateUserInput } from '@/lib/users/schemas';

const KEY = '/api/v1/users';

type UserList = { data: PublicUser[] };

/** Users for the admin screen; `initial` is what the server page already loaded. */
export function useUsers(initial?: PublicUser[]) {
  const { data, error, isLoading, mutate } = useSWR<UserList>(KEY, swrFetcher, {
    fallbackData: initial ? { data: initial } : undefined,
  });

  async function createUser(input: CreateUserInput): Promise<PublicUser> {
    const user = await apiFetch<PublicUser>(KEY, { method: 'POST', body: input });
    await mutate();
    return user;
  }

  async function updateUser(id: string, input: UpdateUserInput): Promise<UpdatedUser> {
    const user = await apiFetch<UpdatedUser>(`${KEY}/${id}`, { method: 'PATCH', body: input });
    await mutate((list) => list && { data: list.data.map((u) => (u.id === id ? user : u)) }, { revalidate: true });
    return user;
  }

  return {
    users: data?.data ?? [],
    error: error as Error | undefined,
    isLoading,
    reload: () => mutate(),
    createUser,
    updateUser,
  };
}
