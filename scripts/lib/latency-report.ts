/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Prints one line of latency figures: n, p50, p95, max. */
export function reportLatency(label: string, samples: number[], labelWidth = 28): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const fmt = (n: number) => `${n.toFixed(1)} ms`.padStart(10);
  console.log(
    `${label.padEnd(labelWidth)} n=${String(sorted.length).padEnd(5)} p50 ${fmt(percentile(sorted, 50))}  p95 ${fmt(
      percentile(sorted, 95),
    )}  max ${fmt(sorted.at(-1) ?? 0)}`,
  );
}
