/**
 * Locating SIP servers (RFC 3263): from a URI to the ordered destinations to send to, over an
 * injected DNS resolver.
 */
export { ServerLocator } from './server-locator.js';
export type { LocateOptions, ServerLocatorOptions } from './server-locator.js';
export { createServerLocator } from './default-server-locator.js';
export type { DefaultServerLocatorOptions } from './default-server-locator.js';
export { targetName } from './sip-target.js';
export type { AddressFamily, ResolvedTargetName, SipTarget } from './sip-target.js';
export { destinationKey } from './destination.js';
export type { Destination } from './destination.js';
export { ALL_TRANSPORTS, defaultPort, srvPrefix } from './transport-protocol.js';
export type { TransportProtocol } from './transport-protocol.js';
export { LocatorError } from './locator-error.js';
export type { LocatorErrorCode } from './locator-error.js';
export { DestinationBlocklist } from './destination-blocklist.js';
export type { DestinationBlocklistOptions } from './destination-blocklist.js';
export { selectNaptr } from './naptr-selection.js';
export type { NaptrChoice } from './naptr-selection.js';
export { isNoServiceTarget, orderSrv } from './srv-ordering.js';
export type { RandomSource, SrvOrder } from './srv-ordering.js';
export { DnsError, isNoDataError, toDnsError } from './dns-resolver.js';
export type { AddressRecord, DnsRecordType, DnsResolver, NaptrRecord, SrvRecord } from './dns-resolver.js';
export { NodeDnsResolver } from './node-dns-resolver.js';
export type { NodeDnsResolverOptions, NodeResolverLike } from './node-dns-resolver.js';
export { CachingDnsResolver } from './caching-dns-resolver.js';
export type { CachingDnsResolverOptions } from './caching-dns-resolver.js';
export { StubDnsResolver } from './stub-dns-resolver.js';
export type { StubAnswer, StubDnsTable, StubRecordOf } from './stub-dns-resolver.js';
