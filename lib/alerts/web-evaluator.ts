import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { type AlertEvaluator, startAlertEvaluator } from './evaluator';

const holder = globalThis as unknown as { __atsAlertEvaluator?: AlertEvaluator };

/**
 * The web server's evaluator (instrumentation.ts register()): one per process, kept across dev
 * reloads. A configuration or database problem is logged, never thrown: the web keeps serving.
 */
export function startWebAlertEvaluator(): AlertEvaluator | undefined {
  if (holder.__atsAlertEvaluator) return holder.__atsAlertEvaluator;
  try {
    const env = getEnv();
    holder.__atsAlertEvaluator = startAlertEvaluator(getDb(), {
      intervalSeconds: env.ALERTS_EVALUATE_SECONDS,
      log: getLogger().child({ component: 'alerts' }),
    });
  } catch (err) {
    getLogger().warn({ err }, 'alert evaluation not started');
  }
  return holder.__atsAlertEvaluator;
}
