/**
 * Credentials already checked against the database, kept for at most one second per process
 * (issue 19): a script polling a run's status many times a second costs one token lookup a second
 * instead of one per poll, and a revoked token or a deactivated user is refused within that second
 * by every web process. In the process that makes the change (revoking a token, changing a user's
 * role, activity, password or sessions) the change applies at once: the service empties the cache
 * after its transaction commits.
 */
export const CREDENTIAL_TTL_MS = 1000;

export class ShortLivedCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    // Oldest first (a Map keeps insertion order): many distinct credentials within a second only
    // shorten how long each is kept, never how much memory the cache takes.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}

const caches = new Set<ShortLivedCache<unknown>>();

/** A cache of checked credentials that forgetCredentials() empties. */
export function credentialCache<V>(maxEntries = 10_000): ShortLivedCache<V> {
  const cache = new ShortLivedCache<V>(CREDENTIAL_TTL_MS, maxEntries);
  caches.add(cache as ShortLivedCache<unknown>);
  return cache;
}

/** After a change to a token or a user has committed: nothing checked before it is used again. */
export function forgetCredentials(): void {
  for (const cache of caches) cache.clear();
}
