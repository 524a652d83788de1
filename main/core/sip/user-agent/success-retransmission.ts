/**
 * §13.3.1.4: the UAS core, not the transaction, retransmits a 2xx to INVITE. "The 2xx response
 * is passed to the transport with an interval that starts at T1 seconds and doubles for each
 * retransmission until it reaches T2 seconds ... Response retransmissions cease when an ACK
 * request for the response is received ... If the server retransmits the 2xx response for 64*T1
 * seconds without receiving an ACK, the dialog is confirmed, but the session SHOULD be
 * terminated. This is accomplished with a BYE".
 */
import type { SipResponse } from '../messages/index.js';
import type { InviteServerTransaction, TransactionTimers } from '../transactions/index.js';

export class SuccessRetransmission {
  private interval: number;
  private retransmitTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly giveUpTimer: ReturnType<typeof setTimeout>;
  private stopped = false;

  /** Sends `response` at once through `transaction` and keeps resending it. */
  constructor(
    private readonly transaction: InviteServerTransaction,
    private readonly response: SipResponse,
    private readonly timers: Pick<TransactionTimers, 't1' | 't2'>,
    onNoAck: () => void,
  ) {
    this.interval = timers.t1;
    transaction.respond(response);
    this.schedule();
    this.giveUpTimer = setTimeout(() => {
      if (this.stopped) return;
      this.stop();
      onNoAck();
    }, 64 * timers.t1);
  }

  /** The CSeq number the ACK must carry to stop this (§13.3.1.4). */
  get cseq(): number {
    return this.response.cseq.seq;
  }

  /** The ACK came, or the session ended. */
  stop(): void {
    this.stopped = true;
    if (this.retransmitTimer !== undefined) clearTimeout(this.retransmitTimer);
    clearTimeout(this.giveUpTimer);
  }

  private schedule(): void {
    this.retransmitTimer = setTimeout(() => {
      // The transaction absorbs INVITE retransmissions until Timer L (RFC 6026 §8.7), 64*T1.
      if (this.stopped || this.transaction.isTerminated) return;
      this.transaction.respond(this.response);
      this.interval = Math.min(2 * this.interval, this.timers.t2);
      this.schedule();
    }, this.interval);
  }
}
