export { parseUri, isSipUri } from './uri.js';
export type { Uri } from './uri.js';
export { SipUri } from './sip-uri.js';
export type { SipUriInit, UriComponent } from './sip-uri.js';
export { TelUri } from './tel-uri.js';
export { AbsoluteUri } from './absolute-uri.js';
export { uriEquals } from './uri-equals.js';
