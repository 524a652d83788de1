/**
 * The SIP transport layer (RFC 3261 §18): UDP, TCP and TLS, IPv4 and IPv6, under the
 * transaction layer.
 */
export { TransportLayer, UDP_SIZE_THRESHOLD } from './transport-layer.js';
export type { ListenOptions, ListeningPoint, SendOptions, TransportLayerOptions } from './transport-layer.js';
export type { MalformedInfo, SipLogEntry, TransportDelegate } from './transport-delegate.js';
export { TransportError } from './transport-error.js';
export type { TransportErrorCode } from './transport-error.js';
export { bareAddress, hostPort, isReliable } from './flow.js';
export type { Flow } from './flow.js';
export { checkPeer, tlsConnectOptions, tlsErrorCode } from './tls-options.js';
export type { TlsClientOptions, TlsServerOptions } from './tls-options.js';
export type { KeepAliveOptions } from './stream-connection.js';
export { stampReceived, stampedVia } from './received-via.js';
export { responseLocatorTarget, responseTarget, viaTransport } from './response-routing.js';
export type { ResponseTarget } from './response-routing.js';
export { malformedRequestAnswer } from './malformed-answer.js';
export type { MalformedAnswerOptions } from './malformed-answer.js';
export { IMPLEMENTED_METHODS } from './implemented-methods.js';
