import type { SessionActor } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { listTimeZones } from '@/lib/schedules/time-zones';
import { listSources } from '@/lib/sources/service';

/**
 * What the add and edit pages need besides the schedule. The zone list comes from the server so
 * that the page renders the same options on both sides.
 */
export async function loadScheduleFormData(actor: SessionActor) {
  return {
    sources: await listSources(getDb(), actor),
    timeZones: listTimeZones(),
    catchUp: getEnv().SCHEDULE_CATCH_UP,
  };
}
