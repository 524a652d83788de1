/**
 * The SIP stack (RFC 3261). This layer: messages and URIs — parse, build, serialize, compare.
 */
export * from './grammar/index.js';
export * from './uri/index.js';
export * from './messages/index.js';
