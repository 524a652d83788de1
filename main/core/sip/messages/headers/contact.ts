/**
 * Contact (RFC 3261 §20.10):
 *
 *   Contact = ("Contact" / "m") HCOLON ( STAR / (contact-param *(COMMA contact-param)))
 *   contact-param = (name-addr / addr-spec) *(SEMI contact-params)
 *   contact-params = c-p-q / c-p-expires / contact-extension
 *
 * The structure is checked when the message is parsed; q and expires are read when asked for,
 * so an out-of-range expiry alone does not make the message unusable (RFC 4475 §3.1.2.4 lets an
 * element fall back to a default for it).
 */
import { Parameters } from '../../grammar/parameters.js';
import { Scanner } from '../../grammar/scanner.js';
import { SipParseError } from '../../grammar/sip-parse-error.js';
import type { Uri } from '../../uri/uri.js';
import { deltaSeconds } from './integer-headers.js';
import { NameAddr, quickNameAddrAt, quickNameAddrOf, scanList, scanNameAddr } from './name-addr.js';

export class Contact extends NameAddr {
  readonly wildcard = false;

  constructor(uri: Uri, displayName?: string, params: Parameters = Parameters.empty) {
    super(uri, displayName, params);
  }

  /** The expires parameter in seconds (§20.10); a SipParseError if it is not delta-seconds. */
  get expires(): number | undefined {
    const raw = this.params.get('expires');
    if (raw === undefined) return undefined;
    return (raw === null ? undefined : deltaSeconds(raw)) ?? badParam('expires');
  }

  /** The q parameter (§20.10: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )). */
  get q(): number | undefined {
    const raw = this.params.get('q');
    if (raw === undefined) return undefined;
    if (raw === null || !/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(raw)) return badParam('q');
    return Number(raw);
  }
}

/** "Contact: *", used only in a REGISTER that removes every binding (§10.2.2). */
export class ContactWildcard {
  readonly wildcard = true;

  toString(): string {
    return '*';
  }
}

export type ContactValue = Contact | ContactWildcard;

function badParam(name: string): never {
  throw new SipParseError('malformed', 'Bad Contact header field', `bad ${name} parameter`);
}

const BAD_CONTACT = 'Bad Contact header field';

/** `parseContact(text.slice(start, end))`, read in place when in the usual form. */
export function parseContactAt(text: string, start: number, end: number, bytes?: Uint8Array, d = 0): ContactValue[] {
  const quick = quickNameAddrAt(text, start, end, BAD_CONTACT, Contact, bytes, d);
  return quick !== undefined ? [quick] : parseContact(text.slice(start, end));
}

export function parseContact(value: string): ContactValue[] {
  // The usual single "<uri>;params" is read without a scanner (see `quickNameAddrOf`).
  const quick = quickNameAddrOf(value, BAD_CONTACT, Contact);
  if (quick !== undefined) return [quick];
  const s = new Scanner(value, BAD_CONTACT);
  s.skipWs();
  if (s.peek() === 0x2a) {
    s.pos++;
    s.expectEnd();
    return [new ContactWildcard()];
  }
  return scanList(s, (sc) => {
    const { uri, displayName, params } = scanNameAddr(sc);
    return new Contact(uri, displayName, params);
  });
}
