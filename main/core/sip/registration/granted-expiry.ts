/**
 * How long the registrar kept our binding, read from its 2xx to REGISTER (RFC 3261 §10.2.4):
 * "the expiration interval ... for each binding ... [is] in the Contact header field", matched
 * to ours by URI (§10.3 step 6 compares contact addresses with §19.1.4 URI equality); a
 * registrar that gives none for it sets the Expires header field; failing both, we were given
 * what we asked for. A malformed expiry falls through to the next source (RFC 4475 §3.1.2.4
 * lets an element use a default for it).
 */
import { SipParseError } from '../grammar/sip-parse-error.js';
import type { SipResponse } from '../messages/index.js';
import { uriEquals, type Uri } from '../uri/index.js';

export function grantedExpires(response: SipResponse, contact: Uri, requested: number): number {
  for (const value of readOrNone(() => response.contacts) ?? []) {
    if (value.wildcard || !uriEquals(value.uri, contact)) continue;
    const expires = readOrNone(() => value.expires);
    if (expires !== undefined) return expires;
  }
  return readOrNone(() => response.expires) ?? requested;
}

function readOrNone<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof SipParseError) return undefined;
    throw error;
  }
}
