/**
 * One line of presence for a contact list, from a PIDF document (RFC 3863 with RPID, RFC 4480):
 * reachable if any tuple is "open" (RFC 3863 §4.1.4), what the person is doing from the
 * <person>'s activities (RFC 4479 §3.4 puts them there; old RPID drafts put them in tuples),
 * and the first note in the preferred language.
 */
import type { PresenceDocument, PresenceNote, RpidActivity } from './pidf.js';

export interface PresenceSummary {
  /** open: some tuple can be reached; closed: all say closed; unknown: none says. */
  readonly basic: 'open' | 'closed' | 'unknown';
  readonly activities: readonly RpidActivity[];
  readonly note: string | undefined;
}

export function summarizePresence(document: PresenceDocument, language?: string): PresenceSummary {
  const basics = document.tuples.map((t) => t.basic);
  const basic = basics.includes('open') ? 'open' : basics.includes('closed') ? 'closed' : 'unknown';
  const activities = new Set<RpidActivity>();
  for (const person of document.persons) for (const activity of person.activities) activities.add(activity);
  if (activities.size === 0) for (const tuple of document.tuples) for (const activity of tuple.activities) activities.add(activity);
  const notes: PresenceNote[] = [...document.persons.flatMap((p) => p.notes), ...document.tuples.flatMap((t) => t.notes), ...document.notes];
  const preferred = language === undefined ? undefined : notes.find((n) => n.lang?.toLowerCase().startsWith(language.toLowerCase()) === true);
  return { basic, activities: [...activities], note: (preferred ?? notes[0])?.text };
}
