/**
 * One worker's share of a source's limits, held in PostgreSQL so they hold across workers:
 * request slots leased in chunks (one statement per change of the lease, not per request),
 * request tokens for max_requests_per_minute taken as requests are about to start, and the
 * source's pause. A request runs only with a slot, a token (when the source has a rate) and no
 * pause; one that meets a pause is handed back to the caller as `paused` to be retried after it.
 */
export type LeaseAnswer = { granted: number; held: number; pausedUntil: Date | null };
export type TokenAnswer = { granted: number; waitMs: number; pausedUntil: Date | null };
export type SlotBackend = {
  lease: (want: number, inUse: number) => Promise<LeaseAnswer>;
  /** Null when the source has no requests-per-minute limit. */
  tokens: ((want: number) => Promise<TokenAnswer>) | null;
  onError: (err: unknown) => void;
};

export type Paused = { paused: Date };
type Waiter = (result: 'go' | Paused) => void;

/** A lease lives this long unless renewed; renewed every RENEW_MS while held. */
export const LEASE_TTL_MS = 10_000;
// Every held lease costs a statement per renewal: with 200 busy sources a renewal every second was
// 0.4 lease statements per delivery. A quarter of the TTL still leaves three renewals' margin, and
// another worker's fair share is granted at the holder's next renewal.
const RENEW_MS = 2_500;
// How often a worker that wants slots asks again while the others hold them all.
const WAITING_POLL_MS = 100;
// A lease is given back after this long without a request. Longer than the gap between two
// batches of a source when PostgreSQL is busy, so a busy source is not re-leased per batch.
const IDLE_MS = 2_000;
// Slots are used only while the lease is surely live: the TTL less a margin for clock and latency.
const LEASE_MARGIN_MS = 2_000;

export class SourceSlots {
  #backend: SlotBackend;
  #max: number;
  #granted = 0;
  #held = 0;
  #inUse = 0;
  #validUntil = 0;
  #lastUsed = 0;
  #pausedUntil = 0;
  #pauses = 0;
  #slotWaiters: Waiter[] = [];
  #tokenWaiters: Waiter[] = [];
  #tokens = 0;
  #leasing = false;
  #asking = false;
  #lastLeaseAt = 0;
  #timerAt = 0;
  #leaseAgain = false;
  // Requests a batch being claimed will start (prepare): asked for in the next lease, then forgotten.
  #expected = 0;
  // What the lease being asked for now wants (0 when none is).
  #wanting = 0;
  #taking = false;
  #timer: NodeJS.Timeout | undefined;
  #tokenTimer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(backend: SlotBackend, maxConcurrency: number) {
    this.#backend = backend;
    this.#max = maxConcurrency;
  }

  /** The source's settings changed (the worker re-read it). */
  configure(backend: SlotBackend, maxConcurrency: number) {
    this.#backend = backend;
    this.#max = maxConcurrency;
  }

  /** Until when the source is known to be paused (null: not as far as this worker knows). */
  pausedUntil(): Date | null {
    return this.#pausedUntil > Date.now() ? new Date(this.#pausedUntil) : null;
  }

  /** Another worker paused the source, or this one saw a Retry-After: nothing starts until then. */
  pause(until: Date) {
    if (until.getTime() <= this.#pausedUntil) return;
    this.#pauses++;
    this.#pausedUntil = until.getTime();
    const paused = { paused: until };
    for (const w of this.#slotWaiters.splice(0)) w(paused);
    for (const w of this.#tokenWaiters.splice(0)) {
      this.#release();
      w(paused);
    }
  }

  /** Counts the pauses this worker heard of, so a claim can tell whether one came while it ran. */
  get pauses(): number {
    return this.#pauses;
  }

  /**
   * The source is not paused (a resume was announced, or a claim found no pause and no pause was
   * heard of since `seen`): forget a pause this worker remembers, which may have had no end.
   */
  resume(seen = this.#pauses) {
    if (seen === this.#pauses) this.#pausedUntil = 0;
  }

  /** Runs `send` with one of the source's slots (and a token); `paused` when a pause came first. */
  async run<T>(send: () => Promise<T>): Promise<T | Paused> {
    const slot = await this.#acquireSlot();
    if (slot !== 'go') return slot;
    if (this.#backend.tokens) {
      const token = await this.#acquireToken();
      if (token !== 'go') return token;
    }
    try {
      return await send();
    } finally {
      this.#release();
    }
  }

  /**
   * A batch of about `requests` requests is being claimed: when this worker holds no usable slot
   * (a new source, or one idle long enough to have given its lease back), the lease is asked for
   * now, beside the claim, rather than when the claimed requests queue for slots: the first of them
   * then waits for one round trip to the database, not two (on a busy machine each took 10-20 ms
   * of the 100 ms a first delivery may take). Slots leased for a claim that found nothing are
   * given back at the next renewal, as idle ones are.
   */
  prepare(requests: number) {
    if (this.#stopped || requests <= 0 || this.#usable() || this.pausedUntil()) return;
    // A lease on its way for as many already (another batch's prepare): its answer serves this one.
    if (this.#leasing && this.#wanting >= Math.min(this.#max, requests)) return;
    this.#expected = Math.max(this.#expected, requests);
    void this.#lease();
  }

  /**
   * Another worker waits below its fair share while this one may hold more than its own: lease
   * again now, so the fair share applies at once (the slots with a request out are given back
   * as their answers come in).
   */
  giveBack() {
    if (this.#granted > 0 && !this.#stopped) void this.#lease();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#tokenTimer);
  }

  #usable(): boolean {
    return this.#inUse < this.#granted && Date.now() < this.#validUntil;
  }

  #acquireSlot(): Promise<'go' | Paused> {
    const paused = this.pausedUntil();
    if (paused) return Promise.resolve({ paused });
    if (this.#slotWaiters.length === 0 && this.#usable()) {
      this.#inUse++;
      this.#lastUsed = Date.now();
      return Promise.resolve('go');
    }
    const waiting = new Promise<'go' | Paused>((resolve) => this.#slotWaiters.push(resolve));
    // More slots may be had: ask soon. With all of max_concurrency granted, waiters are served as
    // requests end, without a statement.
    if (this.#granted < this.#max) this.#askSoon();
    else this.#schedule();
    return waiting;
  }

  /**
   * Asks for more slots once the requests being queued now are all in (setImmediate: a batch
   * queues its requests in one go), and no more often than every WAITING_POLL_MS.
   */
  #askSoon() {
    if (this.#leasing || this.#asking || this.#stopped) return;
    const due = this.#lastLeaseAt + WAITING_POLL_MS;
    if (Date.now() >= due) {
      this.#asking = true;
      clearTimeout(this.#timer);
      this.#timer = undefined;
      setImmediate(() => {
        this.#asking = false;
        void this.#lease();
      });
    } else if (!this.#timer || this.#timerAt > due) {
      this.#setTimer(due - Date.now());
    }
  }

  #setTimer(wanted: number) {
    // A pause with no end would overflow setTimeout (which then fires at once, again and again).
    const delay = Math.min(wanted, 2 ** 31 - 1);
    clearTimeout(this.#timer);
    this.#timerAt = Date.now() + delay;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#lease();
    }, delay);
    this.#timer.unref();
  }

  #release() {
    this.#inUse--;
    this.#lastUsed = Date.now();
    this.#drainSlots();
    // Holding more than its share while others wait: each slot freed goes back at once.
    if (this.#held > this.#granted && this.#inUse < this.#held) void this.#lease();
  }

  #drainSlots() {
    while (this.#slotWaiters.length > 0 && this.#usable()) {
      this.#inUse++;
      this.#lastUsed = Date.now();
      this.#slotWaiters.shift()!('go');
    }
  }

  /** Asks for as many slots as are in use or wanted (up to max_concurrency); one call at a time. */
  async #lease(): Promise<void> {
    if (this.#leasing) {
      this.#leaseAgain = true;
      return;
    }
    this.#leasing = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      do {
        this.#leaseAgain = false;
        this.#lastLeaseAt = Date.now();
        const busy = this.#inUse + this.#slotWaiters.length;
        const expected = this.#expected;
        this.#expected = 0;
        const idle = busy === 0 && expected === 0 && Date.now() - this.#lastUsed >= IDLE_MS;
        // Between two batches the slots are kept a moment; the fair share still gives them up to others.
        const want = idle ? 0 : Math.min(this.#max, Math.max(busy, this.#granted, expected));
        const asked = Date.now();
        this.#wanting = want;
        try {
          const answer = await this.#backend.lease(want, this.#inUse);
          this.#granted = answer.granted;
          this.#held = answer.held;
          this.#validUntil = asked + LEASE_TTL_MS - LEASE_MARGIN_MS;
          if (answer.pausedUntil) this.pause(answer.pausedUntil);
        } catch (err) {
          this.#backend.onError(err);
        } finally {
          this.#wanting = 0;
        }
        this.#drainSlots();
      } while (this.#leaseAgain && !this.#stopped);
    } finally {
      this.#leasing = false;
    }
    this.#schedule();
  }

  /** Renews a held lease, asks again while waiting for slots, gives the lease back when idle. */
  #schedule() {
    if (this.#stopped || this.#timer || this.#leasing || this.#asking) return;
    const paused = this.#pausedUntil - Date.now();
    let delay: number | null = null;
    if (this.#slotWaiters.length > 0 && this.#granted < this.#max) delay = Math.max(WAITING_POLL_MS, paused);
    else if (this.#held > 0 || this.#inUse > 0 || this.#slotWaiters.length > 0) delay = RENEW_MS;
    if (delay === null) return;
    this.#setTimer(delay);
  }

  #acquireToken(): Promise<'go' | Paused> {
    if (this.#tokenWaiters.length === 0 && this.#tokens > 0) {
      this.#tokens--;
      return Promise.resolve('go');
    }
    const waiting = new Promise<'go' | Paused>((resolve) => this.#tokenWaiters.push(resolve));
    void this.#take();
    return waiting;
  }

  /** Takes tokens for the requests waiting for one, which start at once: tokens are not hoarded. */
  async #take(): Promise<void> {
    if (this.#taking || this.#stopped) return;
    this.#taking = true;
    let waitMs = 0;
    try {
      const want = this.#tokenWaiters.length - this.#tokens;
      if (want > 0 && this.#backend.tokens) {
        const answer = await this.#backend.tokens(want);
        this.#tokens += answer.granted;
        waitMs = answer.waitMs;
        if (answer.pausedUntil) this.pause(answer.pausedUntil);
      }
    } catch (err) {
      this.#backend.onError(err);
      waitMs = WAITING_POLL_MS;
    } finally {
      this.#taking = false;
    }
    while (this.#tokenWaiters.length > 0 && this.#tokens > 0) {
      this.#tokens--;
      this.#tokenWaiters.shift()!('go');
    }
    if (this.#tokenWaiters.length > 0 && !this.#stopped) {
      clearTimeout(this.#tokenTimer);
      this.#tokenTimer = setTimeout(() => void this.#take(), Math.max(waitMs, 5));
      this.#tokenTimer.unref();
    }
  }
}

export const isPaused = (value: unknown): value is Paused =>
  typeof value === 'object' && value !== null && 'paused' in value && (value as Paused).paused instanceof Date;
