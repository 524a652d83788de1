/**
 * The transaction layer (RFC 3261 §17): it creates client transactions for the TU, creates
 * server transactions for new requests, and matches what the transport receives to them
 * (§17.1.3, §17.2.3), so retransmissions are absorbed below the TU.
 */
import type { SipRequest, SipResponse } from '../messages/index.js';
import { generateBranch } from './branch.js';
import { InviteClientTransaction } from './invite-client-transaction.js';
import { InviteServerTransaction, InviteServerTransactionState } from './invite-server-transaction.js';
import { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import type { ClientTransactionDelegate } from './transaction-delegate.js';
import { transactionTimers, type TransactionTimers } from './transaction-timers.js';
import type { TransactionTransport, TransportAddress } from './transaction-transport.js';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

/** How the transaction layer reports to the TU (the user agent core); every method optional. */
export interface TransactionLayerDelegate {
  /**
   * A request that matched no transaction: a new server transaction was made for it
   * (§17.2.3), and the TU answers through `transaction.respond()`. Set `transaction.delegate`
   * here to hear of its timeouts and transport errors.
   */
  receiveRequest?(request: SipRequest, transaction: ServerTransaction): void;
  /**
   * An ACK no transaction absorbs: the ACK for a 2xx, a transaction of its own (§17.1.1.3,
   * §13.3.1.4), including one matching an INVITE server transaction in Accepted (RFC 6026 §8.7).
   */
  receiveAck?(ack: SipRequest, source: TransportAddress): void;
  /**
   * A response that matched no client transaction (§18.1.2), e.g. a 2xx retransmission after
   * Timer M: the dialog layer may still want it. Dropped when this is not set.
   */
  receiveStrayResponse?(response: SipResponse, source: TransportAddress): void;
}

export interface TransactionLayerOptions {
  readonly transport: TransactionTransport;
  readonly delegate?: TransactionLayerDelegate;
  /** T1, T2, T4 and Timer D; defaults 500 ms, 4 s, 5 s, 32 s. */
  readonly timers?: Partial<TransactionTimers>;
  /** The branch generator (tests make it predictable). Must start with "z9hG4bK". */
  readonly generateBranch?: () => string;
  /**
   * The sent-by ("host[:port]") for a Via the layer adds to a request that has none
   * (§18.1.1: the transport may still correct it). Without it, requests must carry a Via.
   */
  readonly localSentBy?: (destination: TransportAddress) => string;
}

/** Client transactions are matched by branch and CSeq method (§17.1.3). */
function clientKey(branch: string, method: string): string {
  return `${branch} ${method}`;
}

export class TransactionLayer {
  delegate: TransactionLayerDelegate | undefined;
  readonly timers: TransactionTimers;
  private readonly transport: TransactionTransport;
  private readonly newBranch: () => string;
  private readonly localSentBy: ((destination: TransportAddress) => string) | undefined;
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerTransaction>();

  constructor(options: TransactionLayerOptions) {
    this.transport = options.transport;
    this.delegate = options.delegate;
    this.timers = transactionTimers(options.timers);
    this.newBranch = options.generateBranch ?? generateBranch;
    this.localSentBy = options.localSentBy;
  }

  get clientTransactionCount(): number {
    return this.clients.size;
  }

  get serverTransactionCount(): number {
    return this.servers.size;
  }

  /**
   * Starts a client transaction: the request is sent at once. §17.1.1/§17.1.2: the top Via's
   * branch identifies it; a request whose top Via already has an RFC 3261 branch keeps it (a
   * CANCEL carries its INVITE's branch, §9.1), otherwise a fresh one is set, and a Via is
   * added if there is none. ACK is not a transaction: see `sendAck`.
   */
  createClientTransaction(request: SipRequest, destination: TransportAddress, delegate?: ClientTransactionDelegate): ClientTransaction {
    if (request.method === 'ACK') throw new RangeError('an ACK for a 2xx is sent with sendAck, not as a transaction (§17.1.1.3)');
    const branch = this.ensureBranch(request, destination);
    const key = clientKey(branch, request.method);
    if (this.clients.has(key)) throw new Error(`a client transaction with branch ${branch} for ${request.method} already exists`);
    const transaction =
      request.method === 'INVITE'
        ? new InviteClientTransaction(request, destination, this.transport, this.timers, delegate)
        : new NonInviteClientTransaction(request, destination, this.transport, this.timers, delegate);
    if (!transaction.isTerminated) {
      this.clients.set(key, transaction);
      transaction.whenTerminated(() => this.clients.delete(key));
    }
    return transaction;
  }

  /**
   * Sends an ACK for a 2xx straight to the transport (§13.2.2.4, §17.1.1.3: it is the TU's, not
   * the transaction's). A Via branch is set as for any request.
   */
  sendAck(ack: SipRequest, destination: TransportAddress): Promise<void> {
    if (ack.method !== 'ACK') throw new RangeError(`sendAck cannot send ${ack.method}`);
    this.ensureBranch(ack, destination);
    return this.transport.send(ack, destination);
  }

  /** A response from the transport: to its client transaction (§17.1.3), or the TU, or dropped. */
  receiveResponse(response: SipResponse, source: TransportAddress): void {
    const branch = response.topVia?.branch;
    const transaction = branch === undefined ? undefined : this.clients.get(clientKey(branch, response.cseq.method));
    if (transaction !== undefined) transaction.receiveResponse(response);
    else this.delegate?.receiveStrayResponse?.(response, source);
  }

  /**
   * A request from the transport, with where it came from (responses go back there, §18.2.2).
   * A retransmission goes to its server transaction, which resends its last response; a new
   * request gets a new server transaction and goes to the TU; an unmatched ACK goes to the TU.
   */
  receiveRequest(request: SipRequest, source: TransportAddress): void {
    const transaction = this.matchServerTransaction(request, request.method === 'ACK' ? 'INVITE' : request.method);
    if (request.method === 'ACK') {
      // RFC 6026 §8.7: "If an ACK is received while the INVITE server transaction is in the
      // 'Accepted' state, then the ACK must be passed up to the TU."
      if (transaction instanceof InviteServerTransaction && transaction.state !== InviteServerTransactionState.Accepted) {
        transaction.receiveRequest(request);
      } else {
        this.delegate?.receiveAck?.(request, source);
      }
      return;
    }
    if (transaction !== undefined) {
      transaction.receiveRequest(request);
      return;
    }
    const created =
      request.method === 'INVITE'
        ? new InviteServerTransaction(request, source, this.transport, this.timers)
        : new NonInviteServerTransaction(request, source, this.transport, this.timers);
    const key = serverKey(request, request.method, request.to.tag);
    this.servers.set(key, created);
    created.whenTerminated(() => {
      if (this.servers.get(key) === created) this.servers.delete(key);
    });
    this.delegate?.receiveRequest?.(request, created);
  }

  /**
   * §9.2: "the CANCEL request ... matches the transaction being cancelled" by the rules of
   * §17.2.3 with the method taken as INVITE. The TU answers the CANCEL in its own transaction
   * and, if this one has not answered finally, answers the INVITE with a 487.
   */
  findInviteServerTransaction(cancel: SipRequest): InviteServerTransaction | undefined {
    const transaction = this.matchServerTransaction(cancel, 'INVITE');
    return transaction instanceof InviteServerTransaction ? transaction : undefined;
  }

  /** Terminates every transaction and stops their timers (shutdown). */
  dispose(): void {
    for (const transaction of [...this.clients.values(), ...this.servers.values()]) transaction.dispose();
  }

  /**
   * §17.2.3: with an RFC 3261 branch, a request matches when its top Via has the same branch
   * and sent-by, and the same method (ACK matching INVITE). Otherwise (RFC 2543), Request-URI,
   * From tag, Call-ID, CSeq and top Via must match, and the To tag must equal the request's —
   * or, for an ACK, the To tag of the response the transaction sent.
   */
  private matchServerTransaction(request: SipRequest, method: string): ServerTransaction | undefined {
    if (request.topVia?.hasRfc3261Branch === true) return this.servers.get(serverKey(request, method));
    if (request.method !== 'ACK') return this.servers.get(serverKey(request, method, request.to.tag));
    // The INVITE had no To tag (dialog-creating) or the ACK's own (re-INVITE); either way the
    // ACK's To tag must be that of the response the transaction sent.
    for (const inviteToTag of [undefined, request.to.tag]) {
      const transaction = this.servers.get(serverKey(request, method, inviteToTag));
      if (transaction !== undefined && transaction.lastResponse?.to.tag === request.to.tag) return transaction;
    }
    return undefined;
  }

  private ensureBranch(request: SipRequest, destination: TransportAddress): string {
    const vias = request.via;
    const top = vias[0];
    if (top !== undefined && top.hasRfc3261Branch && top.branch !== undefined) return top.branch;
    const branch = this.newBranch();
    if (top !== undefined) {
      request.set('Via', [top.withParam('branch', branch), ...vias.slice(1)]);
      return branch;
    }
    if (this.localSentBy === undefined) throw new RangeError('the request has no Via and the layer has no localSentBy');
    request.prepend('Via', `SIP/2.0/${destination.transport.toUpperCase()} ${this.localSentBy(destination)};branch=${branch}`);
    return branch;
  }
}

/**
 * The key of §17.2.3 for `request` taken as of `method`. For an RFC 2543 request it holds the
 * To tag of the request that created the transaction (`toTag`); see matchServerTransaction.
 */
function serverKey(request: SipRequest, method: string, toTag?: string): string {
  const via = request.topVia;
  if (via?.hasRfc3261Branch === true) return `3261 ${via.branch ?? ''} ${via.sentBy.toLowerCase()} ${method}`;
  const parts = [request.uri.toString(), toTag ?? '', request.from.tag ?? '', request.callId, request.cseq.seq, method, via?.toString() ?? ''];
  return `2543 ${parts.join(' ')}`;
}
