/**
 * A user agent core over a real transaction layer and an in-memory transport: the test plays
 * the peer by reading what was sent and feeding responses and requests back in.
 */
import { SessionDescriptionState } from '../../../../../main/core/media/sdp/index.js';
import type { Destination } from '../../../../../main/core/sip/locator/index.js';
import { createResponse } from '../../../../../main/core/sip/messages/create-response.js';
import { SipRequest, type SipResponse } from '../../../../../main/core/sip/messages/index.js';
import type { SendOptions } from '../../../../../main/core/sip/sip-endpoint.js';
import { SipRequestError } from '../../../../../main/core/sip/sip-endpoint.js';
import { TransactionLayer, type TransportAddress } from '../../../../../main/core/sip/transactions/index.js';
import { UserAgentCore, type InviteServerSession, type UserAgentCoreOptions, type UserAgentEndpoint } from '../../../../../main/core/sip/user-agent/index.js';
import { FakeTransport } from '../transactions/helpers.js';

export const peer: Destination = { transport: 'udp', address: '192.0.2.10', port: 5060, family: 4 };
export const PEER_CONTACT = '<sip:bob@192.0.2.10:5060>';

let sdpCounter = 0;
export function sdpState(port = 40000 + 2 * sdpCounter++): SessionDescriptionState {
  return new SessionDescriptionState({
    address: '192.0.2.1',
    sessionId: '1',
    audio: { port, codecs: [{ name: 'PCMU', clockRate: 8000, channels: 1, payloadType: 0 }], direction: 'sendrecv', profile: 'RTP/AVP' },
  });
}

export class FakeEndpoint implements UserAgentEndpoint {
  readonly wire = new FakeTransport(false);
  readonly transactions: TransactionLayer;

  constructor(ua: UserAgentCore) {
    this.transactions = new TransactionLayer({
      transport: this.wire,
      localSentBy: () => '192.0.2.1:5060',
      delegate: {
        receiveRequest: (r, t) => ua.receiveRequest(r, t),
        receiveAck: (a) => ua.receiveAck(a),
        receiveStrayResponse: (r) => ua.receiveStrayResponse(r),
      },
    });
  }

  send(request: SipRequest, options?: SendOptions): Promise<SipResponse> {
    return this.request(request, peer, options);
  }

  request(request: SipRequest, destination: TransportAddress, options: SendOptions = {}): Promise<SipResponse> {
    return new Promise((resolve, reject) => {
      let settled = false;
      this.transactions.createClientTransaction(request, destination, {
        receiveResponse: (response) => {
          if (response.status >= 200 && !settled) {
            settled = true;
            resolve(response);
          } else {
            options.receiveResponse?.(response, destination);
          }
        },
        onTimeout: () => reject(new SipRequestError('timeout', 'timeout')),
      });
    });
  }

  locate(): Promise<Destination[]> {
    return Promise.resolve([peer]);
  }
}

export interface Harness {
  readonly ua: UserAgentCore;
  readonly endpoint: FakeEndpoint;
  readonly incoming: InviteServerSession[];
  /** Requests we sent, of one method. */
  sent(method: string): SipRequest[];
  /** Responses we sent, of one status. */
  responses(status?: number): SipResponse[];
  /** The peer answers `request`. */
  answer(request: SipRequest, status: number, options?: { toTag?: string; headers?: [string, string][]; body?: string }): SipResponse;
  /** The peer sends `request` to us. */
  deliver(request: SipRequest): void;
  /** Lets promises settle. */
  flush(): Promise<void>;
}

export function harness(options: Partial<UserAgentCoreOptions> = {}): Harness {
  const incoming: InviteServerSession[] = [];
  const ua = new UserAgentCore({
    contact: '<sip:alice@192.0.2.1:5060>',
    from: '"Alice" <sip:alice@example.test>',
    random: () => 0,
    onIncomingCall: (session) => incoming.push(session),
    ...options,
  });
  const endpoint = new FakeEndpoint(ua);
  ua.attach(endpoint);
  return {
    ua,
    endpoint,
    incoming,
    sent: (method) => endpoint.wire.requests(method),
    responses: (status) => endpoint.wire.responses(status),
    answer(request, status, answerOptions = {}) {
      const headers: [string, string][] = [...(status > 100 && status < 300 ? [['Contact', PEER_CONTACT] as [string, string]] : []), ...(answerOptions.headers ?? [])];
      if (answerOptions.body !== undefined) headers.push(['Content-Type', 'application/sdp']);
      const response = createResponse(request, status, {
        toTag: answerOptions.toTag ?? 'bobtag',
        headers,
        ...(answerOptions.body === undefined ? {} : { body: answerOptions.body }),
      });
      endpoint.transactions.receiveResponse(response, peer);
      return response;
    },
    deliver(request) {
      endpoint.transactions.receiveRequest(request, peer);
    },
    async flush() {
      for (let i = 0; i < 20; i++) await Promise.resolve();
    },
  };
}

let branchCounter = 0;

/** A request from the peer, by default an INVITE to us with `body` as its offer. */
export function peerRequest(
  method: string,
  options: { body?: string; headers?: [string, string][]; toTag?: string; fromTag?: string; callId?: string; seq?: number; branch?: string } = {},
): SipRequest {
  const headers: [string, string][] = [
    ['Via', `SIP/2.0/UDP 192.0.2.10:5060;branch=${options.branch ?? `z9hG4bKpeer${branchCounter++}`}`],
    ['Max-Forwards', '70'],
    ['From', `"Bob" <sip:bob@example.test>;tag=${options.fromTag ?? 'bobtag'}`],
    ['To', `<sip:alice@example.test>${options.toTag === undefined ? '' : `;tag=${options.toTag}`}`],
    ['Call-ID', options.callId ?? 'call-1'],
    ['CSeq', `${options.seq ?? 1} ${method === 'ACK' ? 'INVITE' : method}`],
    ['Contact', PEER_CONTACT],
    ...(options.headers ?? []),
  ];
  if (options.body !== undefined) headers.push(['Content-Type', 'application/sdp']);
  return new SipRequest({ method, uri: 'sip:alice@192.0.2.1:5060', headers, ...(options.body === undefined ? {} : { body: options.body }) });
}
