/**
 * RFC 3261 §18.2.1 (and RFC 3581 §4): the server transport notes in the top Via where a request
 * really came from, so the response can find its way back through NATs.
 */
import type { SipRequest, Via } from '../messages/index.js';
import { bareAddress } from './flow.js';

/**
 * The top Via with `received` when its sent-by host is not the packet's source address, and
 * with rport filled in when the request asked for it (an empty `rport`). RFC 3581 §4: with
 * rport, received is added even when the addresses are equal. Undefined when nothing changes.
 */
export function stampedVia(top: Via, sourceAddress: string, sourcePort: number): Via | undefined {
  const wantsRport = top.hasRport && top.params.get('rport') === null;
  let via = top;
  if (wantsRport || bareAddress(top.host) !== sourceAddress.toLowerCase()) via = via.withReceived(sourceAddress);
  if (wantsRport) via = via.withRport(sourcePort);
  return via === top ? undefined : via;
}

/** Applies `stampedVia` to the request's top Via, in place. */
export function stampReceived(request: SipRequest, sourceAddress: string, sourcePort: number): void {
  const vias = request.via;
  const top = vias[0];
  if (top === undefined) return;
  const stamped = stampedVia(top, sourceAddress, sourcePort);
  if (stamped !== undefined) request.set('Via', [stamped, ...vias.slice(1)]);
}
