/**
 * What the four transaction machines of RFC 3261 §17 share: the request that created them, the
 * timers and the sending, with transport errors turned into a report and a Terminated state.
 * Each subclass keeps its own states and its own `stateTransition()`.
 */
import type { SipMessage, SipRequest, SipResponse } from '../messages/index.js';
import type { TransactionDelegate } from './transaction-delegate.js';
import type { TransactionTimers } from './transaction-timers.js';
import type { TransactionTransport, TransportAddress } from './transaction-transport.js';
import { TransportError } from './transport-error.js';

/** Every machine has a Terminated state spelled the same way. */
export const TERMINATED = 'Terminated';

export abstract class Transaction<State extends string, Delegate extends TransactionDelegate<State>> {
  /** The transaction's delegate; a server transaction's TU sets it when handed the transaction. */
  delegate: Delegate | undefined;
  /** Whether the way to the peer is reliable (§17.1.1.2): no retransmission, zero wait timers. */
  readonly reliable: boolean;
  private current: State;
  private readonly timerHandles = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly terminationListeners: (() => void)[] = [];

  protected constructor(
    /** The request that created the transaction. */
    readonly request: SipRequest,
    /** Where requests go (client) or where the request came from, and responses go (server). */
    readonly peer: TransportAddress,
    protected readonly transport: TransactionTransport,
    protected readonly timers: TransactionTimers,
    initial: State,
    delegate: Delegate | undefined,
  ) {
    this.current = initial;
    this.delegate = delegate;
    this.reliable = transport.isReliable(peer);
  }

  /** The transaction identifier: the branch of the top Via (§17.1.3, §17.2.3). */
  get branch(): string | undefined {
    return this.request.topVia?.branch;
  }

  get state(): State {
    return this.current;
  }

  get isTerminated(): boolean {
    return this.current === TERMINATED;
  }

  /** Calls `listener` once when the transaction terminates (the transaction layer forgets it then). */
  whenTerminated(listener: () => void): void {
    if (this.isTerminated) listener();
    else this.terminationListeners.push(listener);
  }

  /** Stops every timer and terminates; the TU hears only of the state (layer shutdown). */
  dispose(): void {
    if (!this.isTerminated) this.terminate();
  }

  /** Moves to Terminated through the subclass's own `stateTransition()`. */
  protected abstract terminate(): void;

  /**
   * Records the new state, then reports it (a self-transition is checked but not reported);
   * entering Terminated stops every timer.
   */
  protected enterState(state: State): void {
    if (state === this.current) return;
    this.current = state;
    if (state === TERMINATED) for (const name of [...this.timerHandles.keys()]) this.stopTimer(name);
    this.delegate?.onStateChange?.(state);
    if (state === TERMINATED) {
      this.delegate?.onTerminated?.();
      for (const listener of this.terminationListeners.splice(0)) listener();
    }
  }

  /**
   * Starts (or restarts) the named timer. Callers treat a zero duration themselves: the RFC's
   * "zero seconds" timers (D, I, J, K on reliable transports) act at once, not a tick later.
   */
  protected startTimer(name: string, ms: number, fire: () => void): void {
    this.stopTimer(name);
    this.timerHandles.set(
      name,
      setTimeout(() => {
        this.timerHandles.delete(name);
        if (!this.isTerminated) fire();
      }, ms),
    );
  }

  protected stopTimer(name: string): void {
    const handle = this.timerHandles.get(name);
    if (handle !== undefined) clearTimeout(handle);
    this.timerHandles.delete(name);
  }

  /** Whether the named timer is running (for the machines' own bookkeeping). */
  protected timerRunning(name: string): boolean {
    return this.timerHandles.has(name);
  }

  /**
   * Hands a message to the transport. A failure, thrown or rejected, is a transport error:
   * "the client transaction SHOULD inform the TU ... and then transition to Terminated"
   * (§17.1.1.2, §17.1.2.2; §17.2.4 for servers).
   */
  protected send(message: SipMessage): void {
    let sent: Promise<void>;
    try {
      sent = this.transport.send(message, this.peer);
    } catch (error: unknown) {
      sent = Promise.reject(error);
    }
    sent.catch((error: unknown) => this.transportFailed(error, message));
  }

  /**
   * A transport error in any state: "the TU MUST be informed ... and the [client or server]
   * transaction MUST transition to the 'Terminated' state" (§17.1.1.2 Calling and the ACK sent
   * in Completed, §17.1.2.2 Trying/Proceeding, §17.2.1 Completed, §17.2.2, §17.2.4).
   */
  private transportFailed(cause: unknown, message: SipMessage): void {
    if (this.isTerminated) return;
    const what = message.kind === 'request' ? message.method : String(message.status);
    this.delegate?.onTransportError?.(new TransportError(`could not send ${what} to ${this.peer.address}:${this.peer.port}`, { cause }));
    this.terminate();
  }
}

/** A response is provisional, 1xx (§7.2). */
export function isProvisional(response: SipResponse): boolean {
  return response.status < 200;
}

/** A response is a success, 2xx (§7.2). */
export function isSuccess(response: SipResponse): boolean {
  return response.status >= 200 && response.status < 300;
}
