import pg from 'pg';
import type { Logger } from 'pino';
import { SOURCE_CHANGED_CHANNEL } from '@/lib/sources/repository';
import { SOURCE_PAUSED_CHANNEL, SOURCE_SLOTS_WANTED_CHANNEL } from '@/lib/sync/limits-repository';

const RECONNECT_MS = 1000;

/**
 * Listens for what other processes announce about sources (NOTIFY): a source created or changed
 * by the web (so it is worked at once, not at the next reconcile), a pause written by another
 * worker. One connection per worker, reconnected after a failure; what is missed while it is down
 * is caught by the periodic reconcile of the source queues, the lease renewals and the claim's
 * own pause check.
 */
export function listenForSourceEvents(
  connectionString: string,
  log: Logger,
  handlers: {
    changed: (sourceId: string) => Promise<void>;
    paused: (sourceId: string) => Promise<void>;
    /** Another worker (`workerId`) is kept below its fair share of the source's slots. */
    slotsWanted: (sourceId: string, workerId: string) => void;
  },
) {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString, application_name: 'ats-sync-worker-listen' });
    c.on('error', (err) => {
      log.warn({ err }, 'source events connection lost: reconnecting');
      void c.end().catch(() => {});
      if (client === c) client = undefined;
      scheduleReconnect();
    });
    c.on('notification', (n) => {
      if (!n.payload) return;
      if (n.channel === SOURCE_CHANGED_CHANNEL) {
        handlers
          .changed(n.payload)
          .catch((err) => log.warn({ err, sourceId: n.payload }, 'could not pick up a source'));
      } else if (n.channel === SOURCE_SLOTS_WANTED_CHANNEL) {
        const [sourceId, workerId] = n.payload.split(' ');
        if (sourceId && workerId) handlers.slotsWanted(sourceId, workerId);
      } else if (n.channel === SOURCE_PAUSED_CHANNEL) {
        handlers
          .paused(n.payload)
          .catch((err) => log.warn({ err, sourceId: n.payload }, 'could not read a source pause'));
      }
    });
    await c.connect();
    await c.query(
      `listen ${SOURCE_CHANGED_CHANNEL}; listen ${SOURCE_PAUSED_CHANNEL}; listen ${SOURCE_SLOTS_WANTED_CHANNEL}`,
    );
    if (stopped) {
      await c.end();
      return;
    }
    client = c;
  }

  function scheduleReconnect() {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((err) => {
        log.warn({ err }, 'could not listen for source events');
        scheduleReconnect();
      });
    }, RECONNECT_MS);
    retry.unref();
  }

  return {
    start: connect,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
