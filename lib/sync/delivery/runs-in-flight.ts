/**
 * Which runs this worker holds claimed deliveries of, in batches not yet recorded. A batch that
 * records while another batch of the same run is still out here need not ask whether the run
 * finished: that other batch's deliveries are pending in the database until it records them, so
 * the run cannot have finished, and the other batch asks after its own commit, which sees this
 * one's. Of two batches of a run, the one that records last always asks (a batch leaves only after
 * its record committed, or failed and left its deliveries pending), so a run is never left
 * unfinished; it saves one statement per batch while a source's two fetch loops overlap.
 */
export class RunsInFlight {
  #batches = new Map<string, number>();

  /** A batch claimed deliveries of these runs; returns what to call when it has recorded them (or failed). */
  hold(runIds: Iterable<string>): () => void {
    const runs = [...new Set(runIds)];
    for (const id of runs) this.#batches.set(id, (this.#batches.get(id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const id of runs) {
        const n = (this.#batches.get(id) ?? 0) - 1;
        if (n > 0) this.#batches.set(id, n);
        else this.#batches.delete(id);
      }
    };
  }

  /** Another batch of this worker still holds deliveries of the run. */
  held(runId: string): boolean {
    return this.#batches.has(runId);
  }
}
