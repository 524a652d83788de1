/** Test helper: reads every typed value of a message, so lazily parsed headers are exercised. */
import { SipParseError, type SipMessage } from '../../../../../main/core/sip/index.js';

export function readEverything(m: SipMessage): void {
  const reads: (() => unknown)[] = [
    () => m.via.map((v) => [v.branch, v.received, v.rport, v.ttl, v.maddr, v.toString()]),
    () => m.from.toString(),
    () => m.to.toString(),
    () => m.callId,
    () => m.cseq,
    () => m.maxForwards,
    () => m.contacts.map((c) => (c.wildcard ? '*' : [c.q, c.expires, c.uri.toString(), c.toString()])),
    () => m.routes.map((r) => r.toString()),
    () => m.recordRoutes.map((r) => r.toString()),
    () => m.contentLength,
    () => m.contentType?.toString(),
    () => m.expires,
    () => m.authorization.map((a) => [a.qop, a.stale, a.toString()]),
    () => m.proxyAuthorization,
    () => m.wwwAuthenticate.map((a) => a.toString()),
    () => m.proxyAuthenticate,
    () => m.require,
    () => m.supported,
    () => m.unsupported,
    () => m.allow,
    () => m.event?.templates,
    () => m.subscriptionState?.expires,
    () => m.subscriptionState?.retryAfter,
    () => m.referTo?.uri.toString(),
    () => m.replaces?.toTag,
    () => m.rack,
    () => m.rseq,
    () => m.headers.map((h) => m.getValues(h.name)),
    () => m.bodyText,
    () => (m.kind === 'request' ? m.uri.toString() : m.reason),
  ];
  for (const read of reads) {
    try {
      read();
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
    }
  }
}
