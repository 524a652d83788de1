/** Fakes and builders shared by the transaction tests. */
import { SipRequest, SipResponse, type SipMessage } from '../../../../../main/core/sip/messages/index.js';
import type { TransactionTransport, TransportAddress } from '../../../../../main/core/sip/transactions/index.js';

export interface Sent {
  readonly message: SipMessage;
  readonly destination: TransportAddress;
  /** Fake time of the send, in ms since the test started. */
  readonly at: number;
}

/** A transport that records what it is asked to send, at which fake time. */
export class FakeTransport implements TransactionTransport {
  readonly sent: Sent[] = [];
  /** When set, every send fails with this error. */
  failWith: Error | undefined;
  private readonly start = Date.now();

  constructor(readonly reliable: boolean) {}

  send(message: SipMessage, destination: TransportAddress): Promise<void> {
    this.sent.push({ message, destination, at: Date.now() - this.start });
    return this.failWith === undefined ? Promise.resolve() : Promise.reject(this.failWith);
  }

  isReliable(): boolean {
    return this.reliable;
  }

  /** The fake times at which messages were sent. */
  get times(): number[] {
    return this.sent.map((s) => s.at);
  }

  requests(method?: string): SipRequest[] {
    return this.sent.flatMap((s) => (s.message.kind === 'request' && (method === undefined || s.message.method === method) ? [s.message] : []));
  }

  responses(status?: number): SipResponse[] {
    return this.sent.flatMap((s) => (s.message.kind === 'response' && (status === undefined || s.message.status === status) ? [s.message] : []));
  }
}

export const udpPeer: TransportAddress = { transport: 'udp', address: '192.0.2.10', port: 5060 };
export const tcpPeer: TransportAddress = { transport: 'tcp', address: '192.0.2.10', port: 5060 };

export const transports = [
  { name: 'UDP (unreliable)', reliable: false, peer: udpPeer },
  { name: 'TCP (reliable)', reliable: true, peer: tcpPeer },
] as const;

export interface RequestOptions {
  readonly branch?: string;
  readonly sentBy?: string;
  readonly toTag?: string;
  readonly fromTag?: string;
  readonly seq?: number;
  readonly cseqMethod?: string;
  readonly callId?: string;
  readonly uri?: string;
  readonly routes?: readonly string[];
  /** false: no Via at all. */
  readonly via?: boolean;
}

/** A request as alice's phone (or a peer) would send it. */
export function request(method: string, options: RequestOptions = {}): SipRequest {
  const branch = options.branch === undefined ? '' : `;branch=${options.branch}`;
  const headers: [string, string][] = [];
  if (options.via !== false) headers.push(['Via', `SIP/2.0/UDP ${options.sentBy ?? 'pc33.atlanta.example.com'}${branch}`]);
  for (const route of options.routes ?? []) headers.push(['Route', route]);
  headers.push(
    ['Max-Forwards', '70'],
    ['To', `Bob <sip:bob@biloxi.example.com>${options.toTag === undefined ? '' : `;tag=${options.toTag}`}`],
    ['From', `Alice <sip:alice@atlanta.example.com>;tag=${options.fromTag ?? '1928301774'}`],
    ['Call-ID', options.callId ?? 'a84b4c76e66710@pc33.atlanta.example.com'],
    ['CSeq', `${options.seq ?? 314159} ${options.cseqMethod ?? method}`],
    ['Contact', '<sip:alice@pc33.atlanta.example.com>'],
  );
  return new SipRequest({ method, uri: options.uri ?? 'sip:bob@biloxi.example.com', headers });
}

/** A response to `req` (§8.2.6): Via, From, To (tagged unless 100), Call-ID and CSeq copied. */
export function responseTo(req: SipRequest, status: number, toTag = 'a6c85cf'): SipResponse {
  const headers: [string, string][] = req.getAll('Via').map((v): [string, string] => ['Via', v]);
  const to = req.get('To') ?? '';
  headers.push(
    ['From', req.get('From') ?? ''],
    ['To', status === 100 || req.to.tag !== undefined ? to : `${to};tag=${toTag}`],
    ['Call-ID', req.callId],
    ['CSeq', req.get('CSeq') ?? ''],
  );
  return new SipResponse({ status, headers });
}

/** Lets rejected sends reach the transactions (they are reported a microtask later). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
