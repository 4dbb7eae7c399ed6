import type { Migration } from 'kysely/migration';
import * as foundation from './2026-11-28-001-foundation';
import * as sync from './2026-11-28-003-sync';
import * as schedules from './2026-11-28-005-schedules';
import * as syncAdmin from './2026-11-28-004-sync-admin';
import * as operations from './2026-11-28-006-operations';
import * as rateLimits from './2026-11-28-007-rate-limits';
import * as runProgress from './2026-11-28-008-run-progress';
import * as adminSearch from './2026-12-06-009-admin-search';
import * as sourceLimits from './2026-12-06-010-source-limits';
// adminspeed (issue 19): delivered candidates for the tasks list's email search.
import * as adminspeed from './2026-12-06-012-adminspeed';
// hotpath (issue 19): cost per delivery
import * as hotpath from './2026-12-06-013-hotpath';
// livestate (issue 19): deliveries waiting to retry, for the status answer
import * as livestate from './2026-12-06-014-livestate';
import * as engine from './2026-12-06-011-engine';
// connectors (issue 20): connector as registry-validated text, source settings, start date, employment type
import * as connectors from './2026-12-06-017-connectors';
// personio (issue 20): OAuth2 client-credentials tokens shared by all workers
import * as personio from './2026-12-06-018-personio';
// OAuth2 client credentials as a source auth type (issue 20)
import * as oauth2Auth from './2026-12-06-019-oauth2-auth';
// throughput (issue 19): foreign keys of sync_deliveries replaced by delete triggers
import * as throughput from './2026-12-06-015-throughput';
// mapping (issue 20): a source's own mapping onto its connector's target fields
import * as mapping from './2026-12-06-020-mapping';
// lease (issue 19): a claim is a lease on a pending row, so it updates no indexed column (HOT)
import * as lease from './2026-12-06-021-lease';
// follow (issue 21): sync on hire, delivery actions, pending candidate changes, hash with start date
import * as follow from './2026-12-06-023-follow';
// pause (issue 21): a source paused with no end, by an admin or for refused credentials
import * as pause from './2026-12-06-025-pause';
// hired-search (issue 19): the email search's candidates noted when hired, not by every fan-out insert
import * as hiredSearch from './2026-12-06-026-hired-search';
// rehire (issue 21): a hire again reactivates the withdrawn record where the target can
import * as rehire from './2026-12-06-027-rehire';
// stdwh (issue 22 item 3): signing mode of sources and webhook endpoints
import * as stdwh from './2026-12-06-028-stdwh';
// hooks (issue 22 item 4): webhook endpoint management.
import * as hooks from './2026-12-06-029-hooks';
// scopes (issue 22): API token scopes, null for tokens made before them
import * as scopes from './2026-12-06-030-scopes';
// viewer (issue 23): the read-only viewer role
import * as viewer from './2026-12-06-031-viewer';
// alerts (issue 23 item 1)
import * as alerts from './2026-12-06-032-alerts';
// sso (issue 23 item 2): users linked to an OpenID Connect issuer
import * as sso from './2026-12-06-033-sso';
// slot-handover (issue 19): a worker below its fair share of a source's slots asks the holders
import * as slotHandover from './2026-12-07-034-slot-handover';

/**
 * Every migration, by name, in order. Listed statically (not read from the folder) so that the
 * same list works under tsx, vitest and any bundler. Add new ones at the end.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-28-001-foundation': foundation,
  '2026-11-28-003-sync': sync,
  '2026-11-28-005-schedules': schedules,
  '2026-11-28-006-operations': operations,
  '2026-11-28-007-rate-limits': rateLimits,
  '2026-11-28-004-sync-admin': syncAdmin,
  '2026-11-28-008-run-progress': runProgress,
  '2026-12-06-009-admin-search': adminSearch,
  '2026-12-06-010-source-limits': sourceLimits,
  '2026-12-06-012-adminspeed': adminspeed,
  '2026-12-06-013-hotpath': hotpath,
  '2026-12-06-014-livestate': livestate,
  '2026-12-06-011-engine': engine,
  '2026-12-06-017-connectors': connectors,
  '2026-12-06-018-personio': personio,
  '2026-12-06-019-oauth2-auth': oauth2Auth,
  '2026-12-06-015-throughput': throughput,
  '2026-12-06-020-mapping': mapping,
  '2026-12-06-021-lease': lease,
  '2026-12-06-023-follow': follow,
  '2026-12-06-025-pause': pause,
  '2026-12-06-026-hired-search': hiredSearch,
  '2026-12-06-027-rehire': rehire,
  '2026-12-06-028-stdwh': stdwh,
  '2026-12-06-029-hooks': hooks,
  '2026-12-06-030-scopes': scopes,
  '2026-12-06-031-viewer': viewer,
  '2026-12-06-032-alerts': alerts,
  '2026-12-06-033-sso': sso,
  '2026-12-07-034-slot-handover': slotHandover,
};
