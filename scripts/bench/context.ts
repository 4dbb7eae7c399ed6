import type { Stack } from '../lib/bench-stack';
import type { Api } from './api';
import type { LeanReceiver } from './receivers';
import type { ScenarioResult } from './table';

/** What every scenario gets: the running product, its API, the receiver, and earlier results. */
export type BenchContext = {
  api: Api;
  stack: Stack;
  lean: LeanReceiver;
  rounds: number;
  /** Results of the scenarios run before, by key (the 200-source ideal uses the throughput's rate). */
  results: Map<string, ScenarioResult>;
};

export const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${name} must be a whole number`);
  return v;
};
