import { systemActor } from '@/lib/auth/actor';
import { getDb } from '@/lib/db';
import { updateCandidate } from '@/lib/recruiting/service';

/**
 * A web process in miniature for the crash test: hires the candidate named on the command line
 * through the same service call the route makes, tells the parent once it has committed, and then
 * stays alive until it is killed (it never closes anything or sends anything more).
 */
const candidateId = process.argv[2];
await updateCandidate(getDb(), systemActor('web'), candidateId, { stage: 'hired' });
process.send?.({ type: 'committed' });
setInterval(() => {}, 60_000);
