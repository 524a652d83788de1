import type { SdpConnection } from './session-description.js';

/**
 * RFC 2543 put a call on hold with c=0.0.0.0. RFC 3264 §8.4 deprecates it but asks us to
 * understand it: the peer does not want to receive, whatever its direction attribute says
 * (RFC 6337 §5.3). We never send it.
 */
export function isLegacyHold(connection: SdpConnection | undefined): boolean {
  return connection?.ipVersion === 4 && connection.address === '0.0.0.0';
}
