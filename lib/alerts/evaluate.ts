/**
 * The decisions of an evaluation pass, without I/O: given what a rule finds wrong now and the
 * incidents it has, which incidents to open (with a firing message), reopen silently (within the
 * quiet period), keep, and resolve (with a recovery message).
 */

/** One thing a rule finds wrong now, per subject (a source, a posting, an endpoint, the workers). */
export type Finding = {
  subjectKey: string;
  /** "Source BambooHR (prod)". */
  subject: string;
  /** "is failing: auth failed": follows the subject in the message. */
  problem: string;
  /** One sentence of what is wrong. */
  details: string;
  /** Since when it is wrong, when the data says (a heartbeat, a disable); else when first seen. */
  since: Date | null;
  link: string | null;
};

export type OpenIncident = { id: string; subjectKey: string; details: string };

/** The last incident of a subject that cleared, for the quiet period. */
export type ClearedIncident = { id: string; subjectKey: string; lastMessageAt: Date };

export type Decision =
  | { action: 'open'; finding: Finding }
  | { action: 'reopen'; incidentId: string; finding: Finding }
  | { action: 'update'; incidentId: string; finding: Finding }
  | { action: 'resolve'; incidentId: string };

export function decide(
  findings: readonly Finding[],
  open: readonly OpenIncident[],
  cleared: readonly ClearedIncident[],
  quietPeriodMinutes: number,
  now: Date,
): Decision[] {
  const decisions: Decision[] = [];
  const openBySubject = new Map(open.map((i) => [i.subjectKey, i]));
  const clearedBySubject = new Map(cleared.map((i) => [i.subjectKey, i]));
  const seen = new Set<string>();
  const quietSince = now.getTime() - quietPeriodMinutes * 60_000;
  for (const finding of findings) {
    if (seen.has(finding.subjectKey)) continue;
    seen.add(finding.subjectKey);
    const current = openBySubject.get(finding.subjectKey);
    if (current) {
      // Open already: nothing is sent; the details follow what is wrong now (a new error text).
      if (current.details !== finding.details) decisions.push({ action: 'update', incidentId: current.id, finding });
      continue;
    }
    const last = clearedBySubject.get(finding.subjectKey);
    if (quietPeriodMinutes > 0 && last && last.lastMessageAt.getTime() > quietSince) {
      decisions.push({ action: 'reopen', incidentId: last.id, finding });
    } else {
      decisions.push({ action: 'open', finding });
    }
  }
  for (const incident of open) {
    if (!seen.has(incident.subjectKey)) decisions.push({ action: 'resolve', incidentId: incident.id });
  }
  return decisions;
}
