/**
 * A batch's claim on its deliveries, kept alive while the batch holds them. A worker may wait for
 * the source's slots longer than the claim's lease (several workers share max_concurrency), and a
 * claim that runs out is taken by another worker, which sends it: so while the batch runs, the
 * deliveries it has not recorded are renewed together every `renewEveryMs`, and a delivery that a
 * renewal did not return is no longer this batch's to send. A batch that ends before the first
 * renewal costs a timer and nothing else.
 */
export type ClaimLeaseOptions = {
  leaseMs: number;
  renewEveryMs: number;
  /** Extends the claim on `ids`; answers those still held. */
  renew: (ids: string[]) => Promise<string[]>;
  onLost: (ids: string[]) => void;
  onError: (err: unknown) => void;
};

export class ClaimLease {
  #options: ClaimLeaseOptions;
  #held: string[];
  // Empty until a renewal finds a delivery gone: until then a batch checks only the time.
  #lost = new Set<string>();
  #validUntil: number;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  /** `claimedAt`: this machine's time just before the claim was asked for (its lease runs from later). */
  constructor(options: ClaimLeaseOptions, ids: string[], claimedAt: number) {
    this.#options = options;
    this.#held = ids;
    this.#validUntil = claimedAt + options.leaseMs;
    if (ids.length > 0) this.#schedule(options.renewEveryMs);
  }

  /**
   * Those of `rows` that may be sent now (`rows` itself when all may): still held by this batch,
   * with a third of the lease left, so a request that starts now ends within the lease even if no
   * renewal succeeds from here on (a third of claimStaleSeconds is more than the source's timeout).
   */
  sendable<T extends { id: string }>(rows: T[]): T[] {
    if (Date.now() >= this.#validUntil - this.#options.leaseMs / 3) return [];
    if (this.#lost.size === 0) return rows;
    return rows.filter((r) => !this.#lost.has(r.id));
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(delay: number) {
    this.#timer = setTimeout(() => void this.#renew(), Math.max(0, delay));
    this.#timer.unref();
  }

  async #renew() {
    if (this.#stopped || this.#held.length === 0) return;
    const asked = Date.now();
    try {
      const kept = new Set(await this.#options.renew(this.#held));
      // Stopped meanwhile: the batch recorded (or gave back) its deliveries, which no longer answer.
      if (this.#stopped) return;
      const lost = this.#held.filter((id) => !kept.has(id));
      for (const id of lost) this.#lost.add(id);
      this.#held = this.#held.filter((id) => kept.has(id));
      this.#validUntil = asked + this.#options.leaseMs;
      if (lost.length > 0) this.#options.onLost(lost);
    } catch (err) {
      // The lease is not extended: sendable() stops sending before it can run out.
      this.#options.onError(err);
    }
    if (!this.#stopped) this.#schedule(this.#options.renewEveryMs - (Date.now() - asked));
  }
}
