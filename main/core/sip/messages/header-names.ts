/**
 * Header field names: case-insensitive (RFC 3261 §7.3.1), and some have a one-letter compact
 * form (§7.3.3, §20, and the IANA "Header Fields" registry) meaning exactly the same field.
 * A name is looked up by its key: the full name in lower case.
 */
import { TOKEN, allIn } from '../grammar/char-classes.js';

/** Compact form → full name (RFC 3261 §7.3.3, RFC 3515, 3841, 3892, 4028, 4474, 6665, 8224). */
const compactForms: Record<string, string> = {
  a: 'Accept-Contact', // RFC 3841
  b: 'Referred-By', // RFC 3892
  c: 'Content-Type',
  d: 'Request-Disposition', // RFC 3841
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact', // RFC 3841
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  n: 'Identity-Info', // RFC 4474
  o: 'Event', // RFC 6665
  r: 'Refer-To', // RFC 3515
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events', // RFC 6665
  v: 'Via',
  x: 'Session-Expires', // RFC 4028
  y: 'Identity', // RFC 8224
};

/** Names whose usual spelling is not plain Capitalised-Words. */
const knownNames = [
  'Accept',
  'Accept-Encoding',
  'Accept-Language',
  'Alert-Info',
  'Allow',
  'Authentication-Info',
  'Authorization',
  'Call-ID',
  'Call-Info',
  'Contact',
  'Content-Disposition',
  'Content-Language',
  'Content-Length',
  'CSeq',
  'Date',
  'Error-Info',
  'Expires',
  'In-Reply-To',
  'Max-Forwards',
  'MIME-Version',
  'Min-Expires',
  'Min-SE',
  'Organization',
  'P-Asserted-Identity',
  'P-Preferred-Identity',
  'Path',
  'Priority',
  'Privacy',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Proxy-Require',
  'RAck',
  'Reason',
  'Record-Route',
  'Replaces',
  'Reply-To',
  'Require',
  'Retry-After',
  'Route',
  'RSeq',
  'Server',
  'Service-Route',
  'SIP-ETag',
  'SIP-If-Match',
  'Subscription-State',
  'Timestamp',
  'Unsupported',
  'User-Agent',
  'Warning',
  'WWW-Authenticate',
  ...Object.values(compactForms),
];

const canonicalByKey = new Map<string, string>(knownNames.map((name) => [name.toLowerCase(), name]));
/** Each known key as one string instance, so keys compare by reference. */
const knownKeys = new Map<string, string>([...canonicalByKey.keys()].map((key) => [key, key]));
const compactByKey = new Map<string, string>(Object.entries(compactForms).map(([c, name]) => [name.toLowerCase(), c]));

/**
 * The fields the message parser reads as soon as it has split the header section (RFC 3261
 * §8.1.1, §18.3), numbered by their place here: the split notes where each one is as it meets
 * it (see `markOf`), so they are not looked for again among all the fields.
 */
export const MARKED_KEYS: readonly string[] = ['via', 'from', 'to', 'call-id', 'cseq', 'max-forwards', 'contact', 'content-length'];

/** The number of `key` in `MARKED_KEYS`, or -1. */
export function markOf(key: string): number {
  return MARKED_KEYS.indexOf(key);
}

/** A spelling of a known name met before, its key, and `markOf` the key. */
export interface KnownSpelling {
  readonly spelling: string;
  readonly key: string;
  readonly mark: number;
  /**
   * The spelling's character codes, which the parser compares a name with: reading a typed
   * array beside the message's text is cheaper than reading a second kind of string.
   */
  readonly codes: Uint8Array;
}

/**
 * Spellings of known names met so far, bucketed by length and first letter, so the usual case
 * (a name spelled as before) costs one short string comparison instead of hashing the name.
 * Only known names are remembered, a few spellings each, so hostile input cannot grow it.
 */
const BUCKETS = 0x800;
// Filled at once: an array assigned at scattered indices would be kept as a hash table by V8,
// and every lookup would pay for hashing after all.
const spellings: (KnownSpelling[] | undefined)[] = new Array<undefined>(BUCKETS).fill(undefined);
const SPELLINGS_PER_BUCKET = 8;

function bucketOf(name: string): number {
  return bucketAt(name, 0, name.length);
}

function bucketAt(text: string, start: number, end: number): number {
  return (((end - start) << 5) | (text.charCodeAt(start) & 0x1f)) & (BUCKETS - 1);
}

/**
 * The spelling met before and key of the known header name written in `text` from `start` to
 * `end`, or undefined if it is not one met before (then use `headerKey`). Used by the message
 * parser: it reads the name in place, without slicing it out, and the field then shares the
 * one spelling string instead of holding a copy of its own (a few bytes less per field).
 */
export function knownSpellingAt(text: string, start: number, end: number): KnownSpelling | undefined {
  const bucket = spellings[bucketAt(text, start, end)];
  if (bucket === undefined) return undefined;
  for (let k = 0; k < bucket.length; k++) {
    const entry = bucket[k]!;
    if (spelledAt(text, start, end, entry.codes)) return entry;
  }
  return undefined;
}

/**
 * `knownSpellingAt` for a name whose characters are the bytes of `bytes` from `start` to `end`
 * (one character per byte): the message parser compares a name with the bytes it was decoded
 * from, as a byte of a Uint8Array is read in a fraction of the time of a string's character.
 */
export function knownSpellingInBytes(bytes: Uint8Array, start: number, end: number): KnownSpelling | undefined {
  const length = end - start;
  const bucket = spellings[((length << 5) | (bytes[start]! & 0x1f)) & (BUCKETS - 1)];
  if (bucket === undefined) return undefined;
  for (let k = 0; k < bucket.length; k++) {
    const entry = bucket[k]!;
    const codes = entry.codes;
    if (codes.length !== length) continue;
    let i = 0;
    while (i < length && bytes[start + i] === codes[i]) i++;
    if (i === length) return entry;
  }
  return undefined;
}

/** Whether `text` from `start` to `end` is spelled `codes`; a short loop beats `startsWith` here. */
function spelledAt(text: string, start: number, end: number, codes: Uint8Array): boolean {
  const length = codes.length;
  if (length !== end - start) return false;
  for (let i = 0; i < length; i++) if (text.charCodeAt(start + i) !== codes[i]) return false;
  return true;
}

/** The key of a header name: its full name in lower case ("v", "VIA", "Via" → "via"). */
export function headerKey(name: string): string {
  const bucket = spellings[bucketOf(name)];
  if (bucket !== undefined) {
    for (const entry of bucket) if (entry.spelling === name) return entry.key;
  }
  let key = name.toLowerCase();
  // Only a token can be a known name: "\u212A" lower-cases to "k" but is not the compact form.
  if (!allIn(name, TOKEN)) return key;
  if (key.length === 1) {
    const full = compactForms[key];
    if (full !== undefined) key = full.toLowerCase();
  }
  const known = knownKeys.get(key);
  if (known === undefined) return key;
  const list = (spellings[bucketOf(name)] ??= []);
  // The usual spelling is kept as the table's own string, not as `name`, which may be a slice
  // of a received message and would keep all of that message's text alive.
  const usual = canonicalByKey.get(known);
  if (list.length < SPELLINGS_PER_BUCKET) {
    const spelling = name === usual ? usual : name;
    // Known names are tokens, so ASCII: one byte per character.
    const codes = Uint8Array.from(spelling, (c) => c.charCodeAt(0));
    list.push({ spelling, key: known, mark: markOf(known), codes });
  }
  return known;
}

/** The usual spelling of a header name ("call-id" → "Call-ID"); unknown names as given. */
export function canonicalName(name: string): string {
  if (name.length === 1) {
    const full = compactForms[name.toLowerCase()];
    if (full !== undefined) return name.toLowerCase();
  }
  return canonicalByKey.get(name.toLowerCase()) ?? name;
}

/** The compact form of a full header name, if it has one ("Via" → "v"). */
export function compactName(name: string): string | undefined {
  return compactByKey.get(headerKey(name));
}

/**
 * Whether `key` is the key of a known header, as returned by `headerKey` (same instance); a
 * name with that key was spelled with token characters only.
 */
export function isKnownKey(key: string): boolean {
  return knownKeys.get(key) === key;
}
