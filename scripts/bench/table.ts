/** The one table `npm run bench:sync` prints: a row per figure, with what it is measured against. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from '../lib/bench-stack';

export type Row = {
  /** What is measured, e.g. "1,000 x 3 at 20 ms: POST -> finished (s)". */
  figure: string;
  value: number | string | null;
  /** The ideal or the baseline of the same run it is compared with. */
  against: number | string | null;
  /** value / against, or against / value where more is better; see `better`. */
  ratio: number | null;
  target: string;
  limitedBy: string;
};

export type ScenarioResult = { key: string; title: string; rows: Row[]; detail: Record<string, unknown> };

const cell = (v: unknown) =>
  v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? '-' : String(v);

export function formatTable(results: ScenarioResult[], workers: number): string {
  const widths = [50, 12, 14, 7, 12];
  const line = (c: unknown[]) =>
    c
      .map((v, i) =>
        i === 0 ? cell(v).padEnd(widths[0]) : i < widths.length ? cell(v).padStart(widths[i]) : `  ${cell(v)}`,
      )
      .join(' ')
      .trimEnd();
  const out = [
    '',
    `ATS Sync — sync engine benchmark (${os.cpus().length} cores, Node ${process.versions.node}, ${workers} worker(s))`,
    '',
    line(['figure', 'measured', 'ideal/base', 'ratio', 'target', 'limited by']),
  ];
  for (const r of results) {
    out.push(r.title);
    for (const row of r.rows)
      out.push(line([`  ${row.figure}`, row.value, row.against, row.ratio, row.target, row.limitedBy]));
  }
  return `${out.join('\n')}\n`;
}

/** Writes a bench's results, with the machine they were measured on, to .data/bench/<name>-<time>.json. */
export function writeResults(name: string, data: Record<string, unknown>): string {
  const file = path.join(root, '.data', 'bench', `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    node: process.versions.node,
    loadavg: os.loadavg(),
  };
  writeFileSync(file, `${JSON.stringify({ machine, ...data }, null, 2)}\n`);
  return path.relative(root, file);
}
