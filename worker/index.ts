import process from 'node:process';

process.env.ATS_PROCESS ??= 'worker';

// Signals are caught before anything else is loaded: loading the worker's modules takes long
// enough (seconds on a busy machine) for a stop to arrive meanwhile, and it must still end with
// exit 0, not by the signal. runWorker stops whatever had started by then.
const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => resolve(signal));
});

const { runWorker } = await import('./run-worker');
await runWorker(stopRequested);
