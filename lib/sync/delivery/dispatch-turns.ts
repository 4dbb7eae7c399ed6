/**
 * Which requests start in this turn of the event loop. A claimed batch starts up to max_concurrency
 * requests at once, each built and handed to undici in turn; on new connections (a new source, or
 * one idle past its keep-alive) each also opens a socket. Started together, the first request's
 * connection is answered by the kernel at once but only written to once the loop is free again:
 * after every other request of the batch was built (measured at a cold start, 3 sources at
 * max_concurrency 16: 13-33 ms from the first request handed to undici to its socket connecting).
 *
 * So the first request of each source in a turn goes at once, and the others wait until the loop
 * has polled for I/O once more: the first ones' connections are then written to before the rest are
 * built. The others are late by one turn of the loop.
 */
export class DispatchTurns {
  #sources = new Set<string>();

  /** Resolves when a request to `sourceId` may be built and sent. */
  wait(sourceId: string): Promise<void> | undefined {
    if (!this.#sources.has(sourceId)) {
      // Forgotten when this turn's immediates run: before the next poll, so a source's first request
      // of the next turn goes at once again.
      if (this.#sources.size === 0) setImmediate(() => this.#sources.clear());
      this.#sources.add(sourceId);
      return undefined;
    }
    return afterNextPoll();
  }
}

/**
 * An immediate queued from an immediate runs in the next turn's check phase, after that turn's
 * poll phase: the connections that became writable in between have been written to.
 */
function afterNextPoll(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
