/**
 * The two messages a transaction writes itself rather than taking them from its TU: the ACK for
 * a non-2xx final response (§17.1.1.3) and the 100 Trying of an INVITE server (§17.2.1).
 */
import { createResponse } from '../messages/create-response.js';
import { SipRequest, type SipResponse } from '../messages/index.js';

/**
 * §17.1.1.3: "The ACK request constructed by the client transaction MUST contain values for the
 * Call-ID, From, and Request-URI that are equal to the values of those header fields in the
 * request passed to the transport by the client transaction ... The To header field in the ACK
 * MUST equal the To header field in the response being acknowledged ... The ACK MUST contain a
 * single Via header field, and this MUST be equal to the top Via header field of the original
 * request. The CSeq header field in the ACK MUST contain the same value for the sequence number
 * as was present in the original request, but the method parameter MUST be equal to 'ACK'.
 * If the INVITE request whose response is being acknowledged had Route header fields, those
 * header fields MUST appear in the ACK."
 */
export function createNonSuccessAck(invite: SipRequest, response: SipResponse): SipRequest {
  const topVia = invite.topVia;
  if (topVia === undefined) throw new Error('an INVITE client transaction always has a top Via');
  const headers: [string, string][] = [['Via', topVia.toString()]];
  for (const route of invite.getAll('Route')) headers.push(['Route', route]);
  headers.push(
    ['Max-Forwards', String(invite.maxForwards ?? 70)],
    ['From', invite.get('From') ?? ''],
    ['To', response.get('To') ?? ''],
    ['Call-ID', invite.callId],
    ['CSeq', `${invite.cseq.seq} ACK`],
  );
  return new SipRequest({ method: 'ACK', uri: invite.uri, headers });
}

/** §17.2.1: the 100 Trying an INVITE server transaction sends when its TU is slow (no To tag). */
export function createTrying(request: SipRequest): SipResponse {
  return createResponse(request, 100);
}
