/**
 * application/pidf+xml (RFC 3863) with the rich presence extensions (RPID, RFC 4480) and the
 * data model's <person> (RFC 4479 §3.4): what a presence NOTIFY says, read into plain data,
 * and our own presence document written.
 *
 *   <presence entity="pres:someone@example.com">       RFC 3863 §4.1.1
 *     <tuple id="..."><status><basic>open</basic></status>
 *       <contact priority="0.8">sip:...</contact> <note xml:lang="en">...</note>
 *       <timestamp>...</timestamp></tuple>               §4.1.2–§4.1.7
 *     <dm:person id="..."><rpid:activities><rpid:on-the-phone/></rpid:activities></dm:person>
 *     <note>...</note>                                   §4.1.6
 *   </presence>
 *
 * Elements of other namespaces are ignored (§4.1.3: "MUST ignore" unknown extensions unless
 * mustUnderstand, which we do not honour — RFC 3863 §4.3.2 lets a watcher reject such a
 * document; we read what we know and show the rest as absent).
 */
import { bodyText, defaultMaxBodyBytes } from './body-limits.js';
import { malformedBody } from './event-body-error.js';
import type { XmlElement } from './xml/xml-element.js';
import { parseXml } from './xml/xml-parser.js';
import { writeXmlDocument, type XmlOut } from './xml/xml-writer.js';

export const PIDF_CONTENT_TYPE = 'application/pidf+xml';
export const PIDF_NAMESPACE = 'urn:ietf:params:xml:ns:pidf';
export const DATA_MODEL_NAMESPACE = 'urn:ietf:params:xml:ns:pidf:data-model';
export const RPID_NAMESPACE = 'urn:ietf:params:xml:ns:pidf:rpid';
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/**
 * RFC 4480 §3.2 activities. "unknown" is the RFC's own value for a person whose activity is not
 * known; anything else a document names in the RPID namespace is kept as `other`.
 */
export const RPID_ACTIVITIES = [
  'appointment', 'away', 'breakfast', 'busy', 'dinner', 'holiday', 'in-transit', 'looking-for-work', 'meal', 'meeting',
  'on-the-phone', 'performance', 'permanent-absence', 'playing', 'presentation', 'shopping', 'sleeping', 'spectator',
  'steering', 'travel', 'tv', 'unknown', 'vacation', 'working', 'worship',
] as const;
export type RpidActivity = (typeof RPID_ACTIVITIES)[number];

export interface PresenceNote {
  readonly text: string;
  /** xml:lang (RFC 3863 §4.1.6). */
  readonly lang?: string;
}

export interface PresenceTuple {
  readonly id: string;
  /** RFC 3863 §4.1.4: "open" (able to receive), "closed", or absent. */
  readonly basic: 'open' | 'closed' | undefined;
  readonly contact?: { readonly uri: string; readonly priority?: number };
  readonly notes: readonly PresenceNote[];
  readonly timestamp?: string;
  /** RPID activities given in the tuple (older RPID drafts put them here). */
  readonly activities: readonly RpidActivity[];
}

export interface PresencePerson {
  readonly id: string;
  /** RFC 4480 §3.2. */
  readonly activities: readonly RpidActivity[];
  /** Free-text activities (<rpid:other>). */
  readonly otherActivities: readonly string[];
  readonly notes: readonly PresenceNote[];
}

export interface PresenceDocument {
  /** The presentity, e.g. "pres:someone@example.com" or a SIP URI (RFC 3863 §4.1.1). */
  readonly entity: string;
  readonly tuples: readonly PresenceTuple[];
  readonly persons: readonly PresencePerson[];
  readonly notes: readonly PresenceNote[];
}

/** Refuses (EventBodyError) a body that is not a well-formed PIDF document. */
export function parsePidf(body: Uint8Array | string, maxBytes = defaultMaxBodyBytes): PresenceDocument {
  const root = parseXml(bodyText(body, 'pidf', maxBytes), 'pidf');
  if (!root.is(PIDF_NAMESPACE, 'presence')) throw malformedBody('pidf', 'the root is not <presence> of urn:ietf:params:xml:ns:pidf');
  const entity = root.attribute('entity');
  // §4.1.1: "The <presence> element MUST have an 'entity' attribute".
  if (entity === undefined || entity === '') throw malformedBody('pidf', '<presence> without entity');
  return {
    entity,
    tuples: root.elements(PIDF_NAMESPACE, 'tuple').map(readTuple),
    persons: root.elements(DATA_MODEL_NAMESPACE, 'person').map(readPerson),
    notes: readNotes(root, PIDF_NAMESPACE),
  };
}

function readTuple(tuple: XmlElement): PresenceTuple {
  // §4.1.2: "The <tuple> element MUST contain an 'id' attribute"; §4.1.3: "MUST contain one <status>".
  const id = tuple.attribute('id');
  if (id === undefined || id === '') throw malformedBody('pidf', '<tuple> without id');
  const status = tuple.element(PIDF_NAMESPACE, 'status');
  if (status === undefined) throw malformedBody('pidf', '<tuple> without <status>');
  const basicElement = status.element(PIDF_NAMESPACE, 'basic');
  let basic: PresenceTuple['basic'];
  if (basicElement !== undefined) {
    const value = basicElement.text;
    if (value !== 'open' && value !== 'closed') throw malformedBody('pidf', '<basic> is neither open nor closed');
    basic = value;
  }
  const contactElement = tuple.element(PIDF_NAMESPACE, 'contact');
  let contact: PresenceTuple['contact'];
  if (contactElement !== undefined) {
    const raw = contactElement.attribute('priority');
    // §4.1.5: priority is a qvalue, 0 to 1 with at most three decimals.
    if (raw !== undefined && !/^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/.test(raw)) throw malformedBody('pidf', 'bad contact priority');
    contact = { uri: contactElement.text, ...(raw === undefined ? {} : { priority: Number(raw) }) };
  }
  const timestamp = tuple.element(PIDF_NAMESPACE, 'timestamp')?.text;
  const activities = [...tuple.elements(RPID_NAMESPACE, 'activities'), ...status.elements(RPID_NAMESPACE, 'activities')].flatMap((a) => readActivities(a).known);
  return {
    id,
    basic,
    ...(contact === undefined ? {} : { contact }),
    notes: readNotes(tuple, PIDF_NAMESPACE),
    ...(timestamp === undefined ? {} : { timestamp }),
    activities,
  };
}

function readPerson(person: XmlElement): PresencePerson {
  const id = person.attribute('id');
  if (id === undefined || id === '') throw malformedBody('pidf', '<person> without id');
  const known: RpidActivity[] = [];
  const other: string[] = [];
  for (const element of person.elements(RPID_NAMESPACE, 'activities')) {
    const read = readActivities(element);
    known.push(...read.known);
    other.push(...read.other);
  }
  return { id, activities: known, otherActivities: other, notes: readNotes(person, DATA_MODEL_NAMESPACE) };
}

/** RFC 4480 §3.2: <activities> holds activity elements, <other> text and <note>s. */
function readActivities(activities: XmlElement): { known: RpidActivity[]; other: string[] } {
  const known: RpidActivity[] = [];
  const other: string[] = [];
  for (const element of activities.elements()) {
    if (element.namespace !== RPID_NAMESPACE || element.name === 'note') continue;
    if (element.name === 'other') other.push(element.text);
    else if ((RPID_ACTIVITIES as readonly string[]).includes(element.name)) known.push(element.name as RpidActivity);
    else other.push(element.name);
  }
  return { known, other };
}

function readNotes(parent: XmlElement, namespace: string): PresenceNote[] {
  return parent.elements(namespace, 'note').map((note) => {
    const lang = note.attribute('lang', XML_NAMESPACE);
    return { text: note.text, ...(lang === undefined ? {} : { lang }) };
  });
}

export interface OwnPresence {
  /** Our address of record, e.g. "sip:alice@example.com". */
  readonly entity: string;
  /** Whether we take calls/messages (RFC 3863 §4.1.4 basic). */
  readonly basic: 'open' | 'closed';
  /** The tuple's contact: our SIP URI. */
  readonly contact?: string;
  readonly note?: string;
  /** RFC 4480 activities, in a <dm:person>. */
  readonly activities?: readonly RpidActivity[];
  readonly tupleId?: string;
  readonly personId?: string;
  /** ISO 8601; default none. */
  readonly timestamp?: string;
}

/** Our presence as a PIDF document with RPID activities (RFC 3863 §4, RFC 4480 §3.2). */
export function formatPidf(presence: OwnPresence): string {
  const activities = presence.activities ?? [];
  const tuple: XmlOut = {
    name: 'tuple',
    attributes: [['id', presence.tupleId ?? 't1']],
    children: [
      { name: 'status', children: [{ name: 'basic', children: [presence.basic] }] },
      presence.contact === undefined ? undefined : { name: 'contact', children: [presence.contact] },
      presence.note === undefined ? undefined : { name: 'note', children: [presence.note] },
      presence.timestamp === undefined ? undefined : { name: 'timestamp', children: [presence.timestamp] },
    ],
  };
  const person: XmlOut | undefined =
    activities.length === 0
      ? undefined
      : {
          name: 'dm:person',
          attributes: [['id', presence.personId ?? 'p1']],
          children: [{ name: 'rpid:activities', children: activities.map((a): XmlOut => ({ name: `rpid:${a}` })) }],
        };
  return writeXmlDocument({
    name: 'presence',
    attributes: [
      ['xmlns', PIDF_NAMESPACE],
      ['xmlns:dm', DATA_MODEL_NAMESPACE],
      ['xmlns:rpid', RPID_NAMESPACE],
      ['entity', presence.entity],
    ],
    children: [tuple, person],
  });
}
