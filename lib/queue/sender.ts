import type { PgBoss } from 'pg-boss';
import { getEnv } from '@/lib/env';
import { createBoss } from './boss';
import { createQueues, SENDER_QUEUES } from './queues';

const holder = globalThis as unknown as { __atsSender?: Promise<PgBoss> };

/**
 * The web process's pg-boss: it only sends jobs, inside our own transactions (the `db` option),
 * so a run is never recorded without its job or the other way round.
 */
export function getSender(): Promise<PgBoss> {
  holder.__atsSender ??= (async () => {
    const env = getEnv();
    const boss = createBoss(env, 'web', { max: 2 });
    await boss.start();
    // Sending needs the queues to exist, even before any worker has started; only those the web sends to.
    await createQueues(boss, env, SENDER_QUEUES);
    return boss;
  })().catch((err) => {
    holder.__atsSender = undefined;
    throw err;
  });
  return holder.__atsSender;
}

export async function stopSender(): Promise<void> {
  const pending = holder.__atsSender;
  holder.__atsSender = undefined;
  if (pending) await (await pending).stop({ graceful: false, close: true }).catch(() => {});
}
