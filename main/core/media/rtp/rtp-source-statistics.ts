/**
 * Reception state of one remote source: sequence validation (RFC 3550 §A.1), loss (§A.3) and
 * interarrival jitter (§A.8). The algorithms are the RFC's, in its own variable names.
 */
import type { RtcpReportBlock } from './rtcp-packet.js';

/** §A.1 constants. */
export const MAX_DROPOUT = 3000;
export const MAX_MISORDER = 100;
export const MIN_SEQUENTIAL = 2;
const RTP_SEQ_MOD = 0x10000;

export interface RtpSourceSnapshot {
  readonly ssrc: number;
  /** Packets accepted, duplicates included (§A.3 counts them). */
  readonly packetsReceived: number;
  /** Payload octets of those packets. */
  readonly octetsReceived: number;
  /** Extended highest sequence number seen (§A.1: cycles + max_seq). */
  readonly extendedHighestSequence: number;
  readonly expected: number;
  /** Cumulative loss, expected − received: negative when duplicates outnumber losses (§A.3). */
  readonly cumulativeLost: number;
  /** Fraction lost over the last report interval, 0–255 in 1/256 (§A.3). */
  readonly fractionLost: number;
  /** Interarrival jitter in timestamp units (§A.8). */
  readonly jitter: number;
}

export class RtpSourceStatistics {
  private maxSeq: number;
  private cycles = 0;
  private baseSeq: number;
  private badSeq = RTP_SEQ_MOD + 1;
  private probation: number;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private lastFraction = 0;
  private octets = 0;
  private jitterValue = 0;
  private lastArrival: number | undefined;
  private lastTimestamp = 0;

  /**
   * §A.1: a new source is on probation until `minSequential` packets arrive in sequence. Pass 1
   * when the source is already known good (e.g. latched and authenticated by SRTP).
   */
  constructor(
    readonly ssrc: number,
    firstSequence: number,
    minSequential: number = MIN_SEQUENTIAL,
  ) {
    this.initSeq(firstSequence);
    this.maxSeq = (firstSequence - 1) & 0xffff;
    this.baseSeq = firstSequence;
    this.probation = Math.max(1, minSequential);
  }

  private initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
    this.octets = 0;
  }

  /** §A.1 update_seq: true when the packet is valid and counted. */
  private updateSeq(seq: number): boolean {
    const udelta = (seq - this.maxSeq) & 0xffff;
    if (this.probation > 0) {
      if (seq === ((this.maxSeq + 1) & 0xffff)) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSeq(seq);
          this.received++;
          return true;
        }
      } else {
        this.probation = MIN_SEQUENTIAL - 1;
        this.maxSeq = seq;
      }
      return false;
    } else if (udelta < MAX_DROPOUT) {
      // In order, with a permissible gap; a smaller number means the 16-bit counter wrapped.
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD;
      this.maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A very large jump: accept it only as a restart, when the next packet follows it.
      if (seq === this.badSeq) {
        this.initSeq(seq);
      } else {
        this.badSeq = (seq + 1) & 0xffff;
        return false;
      }
    }
    // Otherwise a duplicate or reordered packet: counted, as §A.3 expects.
    this.received++;
    return true;
  }

  /**
   * One data packet. `arrival` is the arrival time in timestamp units (§A.8). Returns false when
   * §A.1 does not accept the packet (probation, or an unconfirmed jump).
   */
  receive(sequenceNumber: number, timestamp: number, arrival: number, payloadOctets: number): boolean {
    if (!this.updateSeq(sequenceNumber)) return false;
    this.octets += payloadOctets;
    // §A.8: D(i−1,i) = (Rj − Ri) − (Sj − Si); the timestamp difference read mod 2^32 so it survives wrap.
    if (this.lastArrival !== undefined) {
      const d = Math.abs(arrival - this.lastArrival - ((timestamp - this.lastTimestamp) | 0));
      this.jitterValue += (d - this.jitterValue) / 16;
    }
    this.lastArrival = arrival;
    this.lastTimestamp = timestamp;
    return true;
  }

  get isValid(): boolean {
    return this.probation === 0;
  }

  private get extendedMax(): number {
    return this.cycles + this.maxSeq;
  }

  private get expected(): number {
    return this.extendedMax - this.baseSeq + 1;
  }

  snapshot(): RtpSourceSnapshot {
    return {
      ssrc: this.ssrc,
      packetsReceived: this.received,
      octetsReceived: this.octets,
      extendedHighestSequence: this.extendedMax,
      expected: this.isValid ? this.expected : 0,
      cumulativeLost: this.isValid ? this.expected - this.received : 0,
      fractionLost: this.lastFraction,
      jitter: this.jitterValue,
    };
  }

  /**
   * A reception report block (§6.4.1), closing the interval for the fraction lost (§A.3).
   * `lastSenderReport` and `delay` describe the last SR from this source (0 when none).
   */
  reportBlock(lastSenderReport: number, delaySinceLastSenderReport: number): RtcpReportBlock {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    this.expectedPrior = expected;
    const receivedInterval = this.received - this.receivedPrior;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    this.lastFraction = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(this.lastFraction, 255),
      cumulativeLost: expected - this.received,
      highestSequence: this.extendedMax >>> 0,
      jitter: Math.floor(this.jitterValue) >>> 0,
      lastSenderReport,
      delaySinceLastSenderReport,
    };
  }
}
