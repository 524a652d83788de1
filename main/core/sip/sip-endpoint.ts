/**
 * A SIP endpoint: the transport layer (§18) and the transaction layer (§17) wired together,
 * the floor the user agent (§8) stands on. Requests that start a server transaction go up to
 * the `EndpointDelegate`; a client request resolves with its final response.
 */
import { defaultRateLimit, SourceRateLimiter, type RateLimit } from './source-rate-limiter.js';
import { createResponse } from './messages/create-response.js';
import { DestinationBlocklist, LocatorError, type Destination, type ServerLocator, type SipTarget, type TransportProtocol } from './locator/index.js';
import type { SipMessage, SipRequest, SipResponse } from './messages/index.js';
import { isSipUri, type Uri } from './uri/index.js';
import {
  TransactionLayer,
  type ServerTransaction,
  type TransactionTimers,
  type TransactionTransport,
  type TransportAddress,
} from './transactions/index.js';
import { TransportLayer, type Flow, type ListeningPoint, type TransportDelegate, type TransportLayerOptions } from './transport/index.js';

export interface EndpointDelegate extends Omit<TransportDelegate, 'receiveMessage'> {
  /** A new request (not a retransmission): answer it through `transaction.respond`. */
  receiveRequest(request: SipRequest, transaction: ServerTransaction): void;
  /** An ACK for a 2xx (no transaction of its own, §17.1.1.3): the dialog's business. */
  receiveAck?(ack: SipRequest, source: TransportAddress): void;
  /** A response no client transaction wanted, e.g. a retransmitted 2xx to INVITE (§13.2.2.4). */
  receiveStrayResponse?(response: SipResponse, source: TransportAddress): void;
}

/** Where a received request came from: what its responses are routed by (§18.2.2). */
interface FlowAddress extends TransportAddress {
  readonly flow: Flow;
}

export class SipRequestError extends Error {
  override readonly name = 'SipRequestError';
  constructor(
    readonly code: 'timeout' | 'transport' | 'unresolvable',
    message: string,
  ) {
    super(message);
  }
}

/** How a caller of `request`/`send` hears of the responses that do not settle its promise. */
export interface SendOptions {
  /**
   * Every response the client transaction passes up besides the one the promise resolves with:
   * provisional responses, and for INVITE every further 2xx (retransmissions, or other forks,
   * RFC 6026 §8.4). `destination` is where the request went: a CANCEL must go there too (§9.1).
   */
  receiveResponse?(response: SipResponse, destination: TransportAddress): void;
}

export interface EndpointOptions {
  transport?: TransportLayerOptions;
  timers?: Partial<TransactionTimers>;
  /** RFC 3263 server location for `send`; the blocklist remembers failed destinations. */
  locator?: ServerLocator;
  blocklist?: DestinationBlocklist;
  /** New requests (no To tag) per source address; in-dialog requests are never limited. */
  rateLimit?: RateLimit | false;
}

/** How long a destination that failed is skipped when it said nothing (RFC 3263 §4.3). */
const failedDestinationSeconds = 30;

export class SipEndpoint {
  readonly transport: TransportLayer;
  readonly transactions: TransactionLayer;

  private readonly locator: ServerLocator | undefined;
  private readonly blocklist: DestinationBlocklist;

  constructor(delegate: EndpointDelegate, options: EndpointOptions = {}) {
    this.locator = options.locator;
    this.blocklist = options.blocklist ?? new DestinationBlocklist();
    this.transport = new TransportLayer(
      {
        ...delegate,
        receiveMessage: (message: SipMessage, source: Flow) => {
          const from: FlowAddress = { transport: source.transport, address: source.remoteAddress, port: source.remotePort, flow: source };
          if (message.kind === 'request') this.transactions.receiveRequest(message, from);
          else this.transactions.receiveResponse(message, from);
        },
      },
      // Responses to a Via that names a host are located like requests (RFC 3263 §5).
      options.locator === undefined || options.transport?.locator !== undefined
        ? options.transport
        : { ...options.transport, locator: options.locator },
    );
    const limiter = options.rateLimit === false ? undefined : new SourceRateLimiter(options.rateLimit ?? defaultRateLimit);
    const transport: TransactionTransport = {
      send: (message, destination) =>
        message.kind === 'response'
          ? this.transport.sendResponse(message, (destination as FlowAddress).flow)
          : this.transport.send(message, toDestination(destination)),
      isReliable: (destination) => destination.transport !== 'udp',
    };
    this.transactions = new TransactionLayer({
      transport,
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      delegate: {
        receiveRequest: (request, transaction) => {
          // §21.5.4: 503 with Retry-After tells a well-behaved sender when to come back.
          if (limiter !== undefined && request.to.tag === undefined && request.method !== 'CANCEL' && !limiter.allow(transaction.peer.address)) {
            transaction.respond(createResponse(request, 503, { reason: 'Too Many Requests', headers: [['Retry-After', '5']] }));
            return;
          }
          delegate.receiveRequest(request, transaction);
        },
        receiveAck: (ack, source) => delegate.receiveAck?.(ack, source),
        receiveStrayResponse: (response, source) => delegate.receiveStrayResponse?.(response, source),
      },
      localSentBy: (destination) => this.sentBy(destination.transport as TransportProtocol),
    });
  }

  listen(transport: TransportProtocol, address: string, port = 0): Promise<ListeningPoint> {
    return this.transport.listen({ transport, address, port });
  }

  /** Sends a request in a client transaction; resolves with the final response (§17.1). */
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
        onTimeout: () => reject(new SipRequestError('timeout', `${request.method}: no final response (Timer B/F)`)),
        onTransportError: (error) => reject(new SipRequestError('transport', `${request.method}: ${error.message}`)),
      });
    });
  }

  /**
   * Sends a request where its URI says (the top Route if any, else the Request-URI, §8.1.2):
   * the locator gives the destinations in RFC 3263 order, and a transport error, a timeout or
   * a 503 moves on to the next one in a new client transaction with a new branch (§4.3).
   */
  async send(request: SipRequest, options: SendOptions = {}): Promise<SipResponse> {
    const destinations = await this.locate(request);
    const hadVia = request.via.length > 0;
    let last: SipResponse | SipRequestError | undefined;
    for (const destination of destinations) {
      // Each attempt is a new transaction: drop the Via (and so the branch) of the previous one.
      if (!hadVia && request.via.length > 0) request.removeFirst('Via');
      try {
        last = await this.request(request, destination, options);
      } catch (error) {
        if (!(error instanceof SipRequestError)) throw error;
        last = error;
        this.blocklist.block(destination, failedDestinationSeconds);
        continue;
      }
      if (last.status !== 503) return last;
      // §4.3: a 503 sends us to the next destination; Retry-After says for how long to skip this one.
      this.blocklist.block(destination, retryAfterSeconds(last) ?? failedDestinationSeconds);
    }
    if (last === undefined) throw new SipRequestError('unresolvable', `${request.method}: no destination`);
    if (last instanceof SipRequestError) throw last;
    return last;
  }

  /**
   * Where a request goes, best first (RFC 3263 §4): its top Route, else its Request-URI
   * (§8.1.2). An ACK for a 2xx, which is no transaction, is sent to the first (§13.2.2.4).
   */
  async locate(request: SipRequest): Promise<Destination[]> {
    if (this.locator === undefined) throw new RangeError('the endpoint has no locator');
    const uri = request.routes[0]?.uri ?? request.uri;
    try {
      return await this.locator.locate(sipTargetOf(uri));
    } catch (error) {
      if (error instanceof LocatorError) throw new SipRequestError('unresolvable', `${request.method}: ${error.message}`);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.transactions.dispose();
    await this.transport.close();
  }

  private sentBy(transport: TransportProtocol): string {
    const point = this.transport.listeningPoints().find((p) => p.transport === transport) ?? this.transport.listeningPoints()[0];
    if (point === undefined) throw new RangeError('the endpoint listens nowhere');
    return point.address.includes(':') ? `[${point.address}]:${point.port}` : `${point.address}:${point.port}`;
  }
}

/** The parts of a SIP/SIPS URI RFC 3263 §4 reads. */
export function sipTargetOf(uri: Uri): SipTarget {
  if (!isSipUri(uri)) throw new SipRequestError('unresolvable', `cannot send to a ${uri.kind} URI`);
  const transport = uri.transport?.toLowerCase();
  return {
    host: uri.host,
    secure: uri.scheme === 'sips',
    ...(uri.port === undefined ? {} : { port: uri.port }),
    ...(transport === 'udp' || transport === 'tcp' || transport === 'tls' ? { transport } : {}),
    ...(uri.maddr === undefined ? {} : { maddr: uri.maddr }),
  };
}

/** Retry-After's delta-seconds (§20.33), ignoring comments and parameters. */
function retryAfterSeconds(response: SipResponse): number | undefined {
  const match = /^\s*(\d{1,9})/.exec(response.get('Retry-After') ?? '');
  return match === null ? undefined : Number(match[1]);
}

function toDestination(address: TransportAddress): Destination {
  // A located destination keeps its serverName, which TLS must verify (RFC 5922 §4).
  if ('family' in address) return address as Destination;
  return {
    transport: address.transport as TransportProtocol,
    address: address.address,
    port: address.port,
    family: address.address.includes(':') ? 6 : 4,
  };
}
