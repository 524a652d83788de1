/**
 * A SIP endpoint: the transport layer (§18) and the transaction layer (§17) wired together,
 * the floor the user agent (§8) stands on. Requests that start a server transaction go up to
 * the `EndpointDelegate`; a client request resolves with its final response.
 */
import type { Destination, TransportProtocol } from './locator/index.js';
import type { SipMessage, SipRequest, SipResponse } from './messages/index.js';
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
}

/** Where a received request came from: what its responses are routed by (§18.2.2). */
interface FlowAddress extends TransportAddress {
  readonly flow: Flow;
}

export class SipRequestError extends Error {
  override readonly name = 'SipRequestError';
  constructor(
    readonly code: 'timeout' | 'transport',
    message: string,
  ) {
    super(message);
  }
}

export class SipEndpoint {
  readonly transport: TransportLayer;
  readonly transactions: TransactionLayer;

  constructor(delegate: EndpointDelegate, options: { transport?: TransportLayerOptions; timers?: Partial<TransactionTimers> } = {}) {
    this.transport = new TransportLayer(
      {
        ...delegate,
        receiveMessage: (message: SipMessage, source: Flow) => {
          const from: FlowAddress = { transport: source.transport, address: source.remoteAddress, port: source.remotePort, flow: source };
          if (message.kind === 'request') this.transactions.receiveRequest(message, from);
          else this.transactions.receiveResponse(message, from);
        },
      },
      options.transport,
    );
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
      delegate: { receiveRequest: (request, transaction) => delegate.receiveRequest(request, transaction) },
      localSentBy: (destination) => this.sentBy(destination.transport as TransportProtocol),
    });
  }

  listen(transport: TransportProtocol, address: string, port = 0): Promise<ListeningPoint> {
    return this.transport.listen({ transport, address, port });
  }

  /** Sends a request in a client transaction; resolves with the final response (§17.1). */
  request(request: SipRequest, destination: TransportAddress): Promise<SipResponse> {
    return new Promise((resolve, reject) => {
      this.transactions.createClientTransaction(request, destination, {
        receiveResponse: (response) => {
          if (response.status >= 200) resolve(response);
        },
        onTimeout: () => reject(new SipRequestError('timeout', `${request.method}: no final response (Timer B/F)`)),
        onTransportError: (error) => reject(new SipRequestError('transport', `${request.method}: ${error.message}`)),
      });
    });
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

function toDestination(address: TransportAddress): Destination {
  return {
    transport: address.transport as TransportProtocol,
    address: address.address,
    port: address.port,
    family: address.address.includes(':') ? 6 : 4,
  };
}
