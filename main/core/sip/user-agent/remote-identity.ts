import { parseNameAddrList, type NameAddr, type SipMessage } from '../messages/index.js';
import type { RemoteIdentity } from './session-delegate.js';

/**
 * The peer's identity: `party` (the From of a request we got, the To of a response) and, when
 * present, the first P-Asserted-Identity (RFC 3325 §9.1). A malformed one is ignored.
 */
export function remoteIdentityOf(message: SipMessage, party: NameAddr): RemoteIdentity {
  const asserted = assertedIdentity(message.get('P-Asserted-Identity'));
  return {
    uri: party.uri.toString(),
    ...(party.displayName === undefined ? {} : { displayName: party.displayName }),
    ...(asserted === undefined ? {} : { asserted }),
  };
}

function assertedIdentity(value: string | undefined): RemoteIdentity['asserted'] {
  if (value === undefined) return undefined;
  try {
    const first = parseNameAddrList(value, 'P-Asserted-Identity')[0];
    if (first === undefined) return undefined;
    return { uri: first.uri.toString(), ...(first.displayName === undefined ? {} : { displayName: first.displayName }) };
  } catch {
    return undefined;
  }
}
