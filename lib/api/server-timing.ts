/**
 * Where one API request's time goes, as a standard `Server-Timing` header (`auth;dur=0.41, …`)
 * that browsers' developer tools and `npm run bench:status` read. Off unless API_SERVER_TIMING is
 * set: the figures tell an outsider how long our token check and queries take.
 */
export class ServerTiming {
  private readonly started = performance.now();
  private last = this.started;
  private readonly parts: [string, number][] = [];

  /** Ends the part that began at the previous lap (or at the start) and names it. */
  lap(name: string): void {
    const now = performance.now();
    this.parts.push([name, now - this.last]);
    this.last = now;
  }

  header(): string {
    const total = performance.now() - this.started;
    return [...this.parts, ['total', total] as [string, number]]
      .map(([name, ms]) => `${name};dur=${ms.toFixed(2)}`)
      .join(', ');
  }
}
