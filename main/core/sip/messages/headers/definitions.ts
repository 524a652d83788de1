/**
 * The typed header fields the stack reads, as data (see `HeaderDefinition`). Each line names the
 * field and the parser of one field value.
 */
import { headerSlot, listHeader, repeatedHeader, singleHeader, type HeaderDefinition } from '../header-definition.js';
import { SipParseError } from '../../grammar/sip-parse-error.js';
import { parseAuthHeader } from './authentication.js';
import { parseCallId } from './call-id.js';
import { parseContact, type ContactValue } from './contact.js';
import { parseMediaType } from './content-type.js';
import { parseCSeq } from './cseq.js';
import { parseEvent } from './event.js';
import { MAX_DELTA_SECONDS, parseInteger } from './integer-headers.js';
import { parseNameAddr, parseNameAddrList } from './name-addr.js';
import { parseTokenList } from './option-tags.js';
import { MAX_RSEQ, parseRAck } from './rack.js';
import { parseReplaces } from './replaces.js';
import { parseSubscriptionState } from './subscription-state.js';
import { parseVia } from './via.js';

// RFC 3261 §8.1.1: the header fields every request carries.
export const ViaHeader = listHeader('Via', parseVia);
export const FromHeader = singleHeader('From', (v) => parseNameAddr(v, 'From'));
export const ToHeader = singleHeader('To', (v) => parseNameAddr(v, 'To'));
export const CallIdHeader = singleHeader('Call-ID', parseCallId);
export const CSeqHeader = singleHeader('CSeq', parseCSeq);
export const MaxForwardsHeader = singleHeader('Max-Forwards', (v) => parseInteger(v, 'Max-Forwards', 0, 255));

// §20.10: a "*" stands alone, in a single field.
export const ContactHeader: HeaderDefinition<readonly ContactValue[]> = {
  slot: headerSlot(),
  name: 'Contact',
  key: 'contact',
  parse(values) {
    const all = values.length === 1 ? parseContact(values[0]!) : values.flatMap(parseContact);
    if (all.length > 1 && all.some((c) => c.wildcard)) {
      throw new SipParseError('malformed', 'Bad Contact header field', '"*" with other values');
    }
    return all;
  },
};

// §20.30, §20.34: the route set.
export const RouteHeader = listHeader('Route', (v) => parseNameAddrList(v, 'Route'));
export const RecordRouteHeader = listHeader('Record-Route', (v) => parseNameAddrList(v, 'Record-Route'));
// RFC 3327, RFC 3608.
export const PathHeader = listHeader('Path', (v) => parseNameAddrList(v, 'Path'));
export const ServiceRouteHeader = listHeader('Service-Route', (v) => parseNameAddrList(v, 'Service-Route'));

// §20.14, §20.15.
export const ContentLengthHeader = singleHeader('Content-Length', (v) => parseInteger(v, 'Content-Length', 0, 0xffffffff));
export const ContentTypeHeader = singleHeader('Content-Type', parseMediaType);

// §20.19, §20.23.
export const ExpiresHeader = singleHeader('Expires', (v) => parseInteger(v, 'Expires', 0, MAX_DELTA_SECONDS));
export const MinExpiresHeader = singleHeader('Min-Expires', (v) => parseInteger(v, 'Min-Expires', 0, MAX_DELTA_SECONDS));

// §20.7, §20.27, §20.28, §20.44.
export const WwwAuthenticateHeader = repeatedHeader('WWW-Authenticate', (v) => parseAuthHeader(v, 'WWW-Authenticate'));
export const ProxyAuthenticateHeader = repeatedHeader('Proxy-Authenticate', (v) => parseAuthHeader(v, 'Proxy-Authenticate'));
export const AuthorizationHeader = repeatedHeader('Authorization', (v) => parseAuthHeader(v, 'Authorization'));
export const ProxyAuthorizationHeader = repeatedHeader('Proxy-Authorization', (v) => parseAuthHeader(v, 'Proxy-Authorization'));

// §20.5, §20.29, §20.32, §20.37, §20.40; RFC 6665 §8.2.2.
export const AllowHeader = listHeader('Allow', (v) => parseTokenList(v, 'Allow', true));
export const SupportedHeader = listHeader('Supported', (v) => parseTokenList(v, 'Supported', true));
export const RequireHeader = listHeader('Require', (v) => parseTokenList(v, 'Require', false));
export const ProxyRequireHeader = listHeader('Proxy-Require', (v) => parseTokenList(v, 'Proxy-Require', false));
export const UnsupportedHeader = listHeader('Unsupported', (v) => parseTokenList(v, 'Unsupported', false));
export const AllowEventsHeader = listHeader('Allow-Events', (v) => parseTokenList(v, 'Allow-Events', false));

// RFC 3262 §7.
export const RSeqHeader = singleHeader('RSeq', (v) => parseInteger(v, 'RSeq', 1, MAX_RSEQ));
export const RAckHeader = singleHeader('RAck', parseRAck);

// RFC 6665 §8.2.
export const EventHeader = singleHeader('Event', parseEvent);
export const SubscriptionStateHeader = singleHeader('Subscription-State', parseSubscriptionState);

// RFC 3515 §2.1, RFC 3892 §3, RFC 3891 §6.1, RFC 3325 §9.1.
export const ReferToHeader = singleHeader('Refer-To', (v) => parseNameAddr(v, 'Refer-To'));
export const ReferredByHeader = singleHeader('Referred-By', (v) => parseNameAddr(v, 'Referred-By'));
export const ReplacesHeader = singleHeader('Replaces', parseReplaces);
export const PAssertedIdentityHeader = listHeader('P-Asserted-Identity', (v) => parseNameAddrList(v, 'P-Asserted-Identity'));
