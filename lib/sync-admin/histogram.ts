/**
 * Delivery durations are kept as counts per bin so that percentiles can be read from any set of
 * days and hours without the rows. Bin 0 holds durations under 1 ms; bin b ≥ 1 holds
 * [GROWTH^(b-1), GROWTH^b) ms, so each bin is 5% wide and a percentile read as the middle of its
 * bin is within 2.5% of the exact value.
 */
export const GROWTH = 1.05;
export const MAX_BIN = 400;

/** The same bin as BIN_SQL computes in the database, for tests and in-memory data. */
export function binOf(ms: number): number {
  if (ms < 1) return 0;
  return Math.min(MAX_BIN, 1 + Math.floor(Math.log(ms) / Math.log(GROWTH)));
}

/** SQL expression of the bin of `duration_ms` (kept identical to binOf). */
export const BIN_SQL = `case when duration_ms < 1 then 0 else least(${MAX_BIN}, 1 + floor(ln(duration_ms) / ln(${GROWTH})))::int end`;

export function addBins(target: number[], bins: readonly number[]): number[] {
  for (let i = 0; i < bins.length; i++) target[i] = (target[i] ?? 0) + (bins[i] ?? 0);
  return target;
}

/** From sparse (bin, count) pairs to a dense array without trailing zeros. */
export function denseBins(pairs: { bin: number; n: number }[]): number[] {
  const out: number[] = [];
  for (const { bin, n } of pairs) {
    while (out.length <= bin) out.push(0);
    out[bin] += n;
  }
  return out;
}

/** The p-th percentile (0 < p ≤ 100) by nearest rank, as the middle of its bin; null when there is nothing. */
export function percentile(bins: readonly number[], p: number): number | null {
  const total = bins.reduce((a, b) => a + (b ?? 0), 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let below = 0;
  for (let bin = 0; bin < bins.length; bin++) {
    const n = bins[bin] ?? 0;
    if (n === 0) continue;
    if (below + n >= rank) {
      return bin === 0 ? 0 : Math.round(GROWTH ** (bin - 1) * Math.sqrt(GROWTH));
    }
    below += n;
  }
  return null;
}
