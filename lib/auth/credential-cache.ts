/**
 * Credentials already checked against the database, kept for at most one second per process
 * (issue 19): a script polling a run's status many times a second costs one token lookup a second
 * instead of one per poll, and a revoked token or a deactivated user is refused within that second
 * by every web process. In the process that makes the change (revoking a token, changing a user's
 * role, activity, password or sessions) the change applies at once: the service empties the cache
 * after its transaction commits.
 */
export const CREDENTIAL_TTL_MS = 1000;
/**
 * An entry used in the last part of its second is checked again in the background while it still
 * answers: a credential in steady use never runs out, so the requests in flight never all wait for
 * the one check that renews it (200 pollers stalled once a second for a database round trip).
 * From 400 ms into the second: the check waits behind the pollers' own queries for a pooled
 * connection, and with 300 ms left it sometimes ended first (a Bearer p99 of 0.75-1.4 s).
 */
export const CREDENTIAL_REFRESH_AHEAD_MS = 600;

export class ShortLivedCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private readonly loading = new Map<string, Promise<V | null>>();
  // Moves on at every clear(): a load that began before it checked the credential before the
  // change, so what it finds is neither kept nor handed to requests that came after.
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = () => performance.now(),
    private readonly refreshAheadMs = 0,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /**
   * The entry, else what `load` finds (kept unless null). Requests that miss the same key while
   * a load is under way wait for that load: when an entry ends under load, every poll in flight
   * would otherwise check the same credential again (200 pollers: up to 200 token queries or
   * session decryptions in the same moment, once a second). The entry's second counts from the
   * start of the load, before the database or the cookie was read.
   */
  getOrLoad(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const entry = this.entries.get(key);
    if (entry) {
      const left = entry.until - this.now();
      if (left > 0) {
        // Renewed in the background near its end; what it answers now is still within its second.
        if (left <= this.refreshAheadMs && !this.loading.has(key)) {
          this.load(key, load).catch(() => {
            // A failed renewal changes nothing: the entry ends on time and the next miss checks again.
          });
        }
        return Promise.resolve(entry.value);
      }
      this.entries.delete(key);
    }
    return this.loading.get(key) ?? this.load(key, load);
  }

  private load(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const generation = this.generation;
    const started = this.now();
    const forget = () => {
      if (this.loading.get(key) === promise) this.loading.delete(key);
    };
    // One microtask later, so the promise is registered before `load` can settle or throw.
    const promise: Promise<V | null> = Promise.resolve()
      .then(load)
      .then(
        (value) => {
          forget();
          if (generation === this.generation) {
            if (value !== null) this.set(key, value, started);
            // Refused now (revoked, deactivated): an entry still running is not believed any longer.
            else this.entries.delete(key);
          }
          return value;
        },
        (err: unknown) => {
          forget();
          throw err;
        },
      );
    this.loading.set(key, promise);
    return promise;
  }

  set(key: string, value: V, checkedAt: number = this.now()): void {
    this.entries.delete(key);
    // Oldest first (a Map keeps insertion order): many distinct credentials within a second only
    // shorten how long each is kept, never how much memory the cache takes.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, until: checkedAt + this.ttlMs });
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.loading.clear();
  }
}

const caches = new Set<ShortLivedCache<unknown>>();

/** A cache of checked credentials that forgetCredentials() empties. */
export function credentialCache<V>(maxEntries = 10_000): ShortLivedCache<V> {
  const cache = new ShortLivedCache<V>(CREDENTIAL_TTL_MS, maxEntries, undefined, CREDENTIAL_REFRESH_AHEAD_MS);
  caches.add(cache as ShortLivedCache<unknown>);
  return cache;
}

/** After a change to a token or a user has committed: nothing checked before it is used again. */
export function forgetCredentials(): void {
  for (const cache of caches) cache.clear();
}
