import { FAST_ANSWER_MS } from '../jobs';

// Batches in a row whose slowest answer came within FAST_ANSWER_MS before a source counts as fast;
// one slower batch makes it slow again at once (its next fetches hold less).
const FAST_AFTER_BATCHES = 3;

/** Per source, whether it has been answering fast (see FAST_ANSWER_MS and deliverFetchPlan). */
export class AnswerSpeed {
  #fastBatches = new Map<string, number>();

  /** A batch of the source was sent; `slowestMs` is its slowest request. */
  note(sourceId: string, slowestMs: number): void {
    if (slowestMs > FAST_ANSWER_MS) this.#fastBatches.delete(sourceId);
    else this.#fastBatches.set(sourceId, Math.min(FAST_AFTER_BATCHES, (this.#fastBatches.get(sourceId) ?? 0) + 1));
  }

  isFast(sourceId: string): boolean {
    return (this.#fastBatches.get(sourceId) ?? 0) >= FAST_AFTER_BATCHES;
  }

  clear(): void {
    this.#fastBatches.clear();
  }
}
