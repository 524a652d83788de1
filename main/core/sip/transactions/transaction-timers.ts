/**
 * The timer values of RFC 3261 §17 and Table 4 (Appendix A). T1, T2 and T4 may be changed,
 * e.g. T1 raised on a high-latency network (§17.1.1.1); every other timer derives from them.
 */
export interface TransactionTimers {
  /** RTT estimate, default 500 ms. */
  readonly t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, default 4 s. */
  readonly t2: number;
  /** Maximum duration a message will remain in the network, default 5 s. */
  readonly t4: number;
  /** Wait time for response retransmits, Timer D: "at least 32 seconds" over unreliable transports. */
  readonly timerD: number;
}

export const defaultTransactionTimers: TransactionTimers = { t1: 500, t2: 4000, t4: 5000, timerD: 32000 };

/** §17.2.1: the server transaction answers 100 Trying itself if the TU has not within 200 ms. */
export const TRYING_DELAY = 200;

/** Complete timers from a partial set, checking they make sense. */
export function transactionTimers(partial: Partial<TransactionTimers> = {}): TransactionTimers {
  const timers = { ...defaultTransactionTimers, ...partial };
  for (const [name, value] of Object.entries(timers)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`timer ${name} must be a positive number of ms`);
  }
  return timers;
}
