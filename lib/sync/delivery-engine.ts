import type { SourceConfig } from './connectors/types';
import { type AnyConnectorModule, findConnectorModule } from './connectors/registry';
import { type ClaimedRow, renewClaims } from './delivery-repository';
import { claim, deferUntil, recheckLater } from './delivery/claim';
import { ClaimLease } from './delivery/claim-lease';
import { AnswerSpeed } from './delivery/answer-speed';
import { DispatchTurns } from './delivery/dispatch-turns';
import { recordOutcomes } from './delivery/record';
import { RunsInFlight } from './delivery/runs-in-flight';
import { type Settled, sendChunk } from './delivery/send';
import { isPaused, LEASE_TTL_MS, type SlotBackend, SourceSlots } from './delivery/source-slots';
import type { EngineContext } from './engine-context';
import { expandRun, type FanOutContext } from './fan-out';
import { findSourcePause, hasNoEnd, leaseSlots, pauseSource, releaseLeasesOf, takeTokens } from './limits-repository';
import { claimStaleSeconds } from './jobs';
import { LanePool, settleRun } from './progress';

export type DeliveryJob = { runId: string; deliveryIds: string[] };
export type DeliveryEngine = {
  /** Sends one batch of a source's delivery jobs and records every outcome. */
  process: (source: SourceConfig, jobs: DeliveryJob[]) => Promise<{ sent: number }>;
  /** Fans a run out (see expandRun). */
  expand: (runId: string) => Promise<{ total: number; pending: number } | null>;
  /** The source's recent batches were all answered fast (its fetch plan may hold more: deliverFetchPlan). */
  answersFast: (sourceId: string) => boolean;
  /** The source was paused or resumed (by another worker or an admin): this one follows. */
  sourcePaused: (sourceId: string) => Promise<void>;
  /**
   * Another worker is kept below its fair share of the source's slots by one holding more: this
   * one, if it holds some, leases again at once (the fair share caps it) rather than at renewal.
   */
  slotsWanted: (sourceId: string, workerId: string) => void;
  stop: () => Promise<void>;
};

// How often this worker copies a run's counters to sync_runs while it runs (for lists and statistics).
const TOUCH_EVERY_MS = 1000;
// A Retry-After longer than this pauses the source for this long only (the retry itself still waits it out).
export const MAX_PAUSE_MS = 3600_000;
const PAUSING_STATUSES = new Set([429, 503]);

/**
 * The delivery engine of one worker: it owns what the worker keeps between batches (its share of
 * each source's limits, the progress lanes, when each run's counters were last copied), created
 * at start and stopped at shutdown.
 */
export function createDeliveryEngine(
  ctx: EngineContext &
    Pick<FanOutContext, 'beforeEnqueue'> & {
      touchEveryMs?: number;
      /** A claim's lease (default claimStaleSeconds of the source's timeout), renewed every third of it. */
      leaseSeconds?: number;
      renewEveryMs?: number;
    },
): DeliveryEngine {
  const touchEveryMs = ctx.touchEveryMs ?? TOUCH_EVERY_MS;
  const slotsBySource = new Map<string, SourceSlots>();
  const lanes = new LanePool();
  const touchedAt = new Map<string, number>();
  const inFlight = new RunsInFlight();
  const speed = new AnswerSpeed();
  const turns = new DispatchTurns();

  function backendFor(source: SourceConfig): SlotBackend {
    return {
      lease: (want, inUse) => leaseSlots(ctx.db, source.id, ctx.workerId, want, inUse, LEASE_TTL_MS),
      tokens: source.maxRequestsPerMinute ? (want) => takeTokens(ctx.db, source.id, want) : null,
      onError: (err) => ctx.log.warn({ err, sourceId: source.id }, 'could not update the source limits'),
    };
  }

  /** This worker's share of the source's limits: every batch it holds for the source goes through it. */
  function slotsFor(source: SourceConfig): SourceSlots {
    let slots = slotsBySource.get(source.id);
    if (!slots) {
      slots = new SourceSlots(backendFor(source), source.maxConcurrency);
      slotsBySource.set(source.id, slots);
    } else {
      slots.configure(backendFor(source), source.maxConcurrency);
    }
    return slots;
  }

  function touchDue(runId: string): boolean {
    const now = Date.now();
    if (now - (touchedAt.get(runId) ?? 0) < touchEveryMs) return false;
    if (touchedAt.size > 10_000) touchedAt.clear();
    touchedAt.set(runId, now);
    return true;
  }

  /** A 429 or 503 with Retry-After pauses the source for every worker, before its slot is given back. */
  async function pauseOn(source: SourceConfig, slots: SourceSlots, settled: Settled[]) {
    const answer = settled.find(
      (s) => s.httpStatus !== null && PAUSING_STATUSES.has(s.httpStatus) && s.retryAfterMs !== null,
    );
    if (!answer) return;
    const until = await pauseSource(ctx.db, source.id, {
      until: new Date(Date.now() + Math.min(answer.retryAfterMs!, MAX_PAUSE_MS)),
      reason: `HTTP ${answer.httpStatus} with Retry-After`,
      httpStatus: answer.httpStatus,
    });
    slots.pause(until);
    ctx.log.info(
      { sourceId: source.id, httpStatus: answer.httpStatus, pausedUntil: until },
      'source paused by Retry-After',
    );
  }

  /**
   * Each request waits for one of the source's slots (and a token, with a rate limit); a worker
   * holds about twice as many deliveries as slots, so while one batch is being claimed or recorded
   * another keeps the slots busy. Deliveries that meet a pause wait for its end.
   */
  async function process(source: SourceConfig, jobs: DeliveryJob[]): Promise<{ sent: number }> {
    // Unknown (a row written past the API): every delivery fails in sendChunk, one at a time.
    const connector = findConnectorModule(source.connector);
    const slots = slotsFor(source);
    const known = slots.pausedUntil();
    // A pause with no end is not trusted from memory: its resume may have been missed (the claim
    // below reads the truth, and claims nothing while it holds).
    if (known && !hasNoEnd(known)) {
      await deferUntil(
        ctx,
        source,
        known,
        jobs.map((j) => ({ ...j, claimed: false })),
      );
      return { sent: 0 };
    }
    const pausesSeen = slots.pauses;
    const leaseSeconds = ctx.leaseSeconds ?? claimStaleSeconds(source.timeoutMs);
    const claimedAt = Date.now();
    const ids = jobs.flatMap((j) => j.deliveryIds);
    // Slots asked for beside the claim when this worker holds none (see SourceSlots.prepare).
    const perRequest = connector ? connector.itemsPerRequest(source) : 1;
    slots.prepare(Math.ceil(ids.length / perRequest));
    // One claim for the whole batch of jobs: one round trip instead of one per job.
    const claimed = await claim(ctx, source, ids, leaseSeconds);
    if (claimed.pausedUntil) {
      slots.pause(claimed.pausedUntil);
      await deferUntil(
        ctx,
        source,
        claimed.pausedUntil,
        jobs.map((j) => ({ ...j, claimed: false })),
      );
      return { sent: 0 };
    }
    slots.resume(pausesSeen);
    const release = inFlight.hold(claimed.rows.map((r) => r.run_id));
    // Renewed until the batch has recorded: a delivery sent but not recorded is still this batch's.
    const lease = new ClaimLease(
      {
        leaseMs: leaseSeconds * 1000,
        renewEveryMs: ctx.renewEveryMs ?? (leaseSeconds * 1000) / 3,
        renew: (ids) => renewClaims(ctx.db, ctx.workerId, ids, leaseSeconds),
        onLost: (ids) =>
          ctx.log.warn(
            { sourceId: source.id, deliveryIds: ids },
            'claim on deliveries lost (another worker took them after the lease ran out): not sending them',
          ),
        onError: (err) => ctx.log.warn({ err, sourceId: source.id }, 'could not renew the claim on deliveries'),
      },
      claimed.rows.map((r) => r.id),
      claimedAt,
    );
    try {
      return await sendAndRecord(source, connector, perRequest, slots, jobs, claimed.rows, lease, release);
    } finally {
      lease.stop();
      release();
    }
  }

  async function sendAndRecord(
    source: SourceConfig,
    connector: AnyConnectorModule | undefined,
    /** Deliveries a request carries (a batch API's batch size; 1 otherwise). */
    size: number,
    slots: SourceSlots,
    jobs: DeliveryJob[],
    claimedRows: ClaimedRow[],
    lease: ClaimLease,
    release: () => void,
  ): Promise<{ sent: number }> {
    const claimedById = new Map(claimedRows.map((r) => [r.id, r]));
    const requests: Promise<Settled[]>[] = [];
    const notSent: { runId: string; deliveryIds: string[]; claimed: true; until: Date }[] = [];
    for (const job of jobs) {
      const rows = job.deliveryIds.flatMap((id) => claimedById.get(id) ?? []);
      await recheckLater(ctx, source, job.runId, job.deliveryIds, new Set(rows.map((r) => r.id)));
      for (let i = 0; i < rows.length; i += size) {
        const chunk = rows.slice(i, i + size);
        requests.push(
          slots
            .run(async () => {
              await turns.wait(source.id);
              // Checked as the slot is granted: the wait for it may have outlasted the claim.
              const held = lease.sendable(chunk);
              if (held.length < chunk.length) {
                ctx.log.warn(
                  { sourceId: source.id, deliveryIds: chunk.filter((r) => !held.includes(r)).map((r) => r.id) },
                  'deliveries not sent: the claim on them ran out or was lost, another worker sends them',
                );
              }
              if (held.length === 0) return [];
              const settled = await sendChunk(ctx, source, connector, held);
              await pauseOn(source, slots, settled);
              return settled;
            })
            .then((result) => {
              if (!isPaused(result)) return result;
              notSent.push({
                runId: job.runId,
                deliveryIds: chunk.map((r) => r.id),
                claimed: true,
                until: result.paused,
              });
              return [];
            }),
        );
      }
    }
    const settled = (await Promise.all(requests)).flat();
    // Nothing is sent from here on, and a renewal leaves two thirds of the lease or more: recording (or giving
    // back) the deliveries ends the claim, so a renewal would only find them gone.
    lease.stop();
    if (settled.length > 0) {
      let slowest = 0;
      for (const s of settled) slowest = Math.max(slowest, s.durationMs ?? 0);
      speed.note(source.id, slowest);
      await record(source, settled, release);
    }
    if (notSent.length > 0) {
      const until = new Date(Math.max(...notSent.map((n) => n.until.getTime())));
      await deferUntil(ctx, source, until, notSent);
    }
    return { sent: settled.length };
  }

  async function record(source: SourceConfig, settled: Settled[], release: () => void) {
    const lane = lanes.acquire();
    let runs: Set<string>;
    try {
      runs = await recordOutcomes(ctx, source, settled, `${ctx.workerId}#${lane}`);
    } finally {
      lanes.release(lane);
    }
    // Committed: this batch no longer holds its runs; another batch of a run that still does asks
    // for it after its own record (RunsInFlight), unless the counters' refresh is due now.
    release();
    for (const runId of runs) {
      const touch = touchDue(runId);
      if (!touch && inFlight.held(runId)) continue;
      await settleRun(ctx.db, ctx.boss, runId, touch);
    }
  }

  return {
    process,
    expand: (runId) => expandRun(ctx, runId),
    answersFast: (sourceId) => speed.isFast(sourceId),
    async sourcePaused(sourceId) {
      const slots = slotsBySource.get(sourceId);
      if (!slots) return;
      // Announced for a pause and for a resume alike: the table says which.
      const until = await findSourcePause(ctx.db, sourceId);
      if (until) slots.pause(until);
      else slots.resume();
    },
    slotsWanted(sourceId, workerId) {
      if (workerId !== ctx.workerId) slotsBySource.get(sourceId)?.giveBack();
    },
    async stop() {
      for (const slots of slotsBySource.values()) await slots.stop();
      slotsBySource.clear();
      touchedAt.clear();
      speed.clear();
      await releaseLeasesOf(ctx.db, ctx.workerId);
    },
  };
}
