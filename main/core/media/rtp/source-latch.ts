/**
 * Symmetric RTP (RFC 4961): we send to where the peer's packets really come from, which behind a
 * NAT is not the address its SDP names. The first valid packet latches the remote address. After
 * that a packet from elsewhere is refused, unless it carries the source we already follow and
 * keeps coming from the new place for `required` packets in a row (the peer's NAT binding moved;
 * common practice in RTP proxies and softphones, not an RFC rule). The source we follow is the
 * RTP source once known, else the SSRC of the packet that latched: with rtcp-mux an RTCP report
 * from the peer's old port can latch a session made for its new one, before any RTP comes.
 */
export interface TransportAddress {
  readonly address: string;
  readonly port: number;
}

export function sameTransportAddress(a: TransportAddress, b: TransportAddress): boolean {
  return a.port === b.port && a.address === b.address;
}

export type LatchVerdict =
  /** From the latched address (or the first packet, which latches it). */
  | 'accept'
  /** The candidate address has now been seen often enough and replaces the latched one. */
  | 'relatched'
  /** Another address, another SSRC: not our peer. */
  | 'foreign_source'
  /** Our peer's SSRC from a new address that has not yet been seen `required` times in a row. */
  | 'unconfirmed_source';

export class SourceLatch {
  private latchedTo: TransportAddress | undefined;
  /** The SSRC of the packet that latched (or last came from the latched address). */
  private latchedSsrc: number | undefined;
  private candidate: { address: TransportAddress; ssrc: number; count: number } | undefined;

  constructor(readonly required: number) {
    if (!Number.isInteger(required) || required < 1) throw new RangeError(`latch count must be a positive integer: ${required}`);
  }

  get latched(): TransportAddress | undefined {
    return this.latchedTo;
  }

  /** `peerSsrc` is the source we follow, if any yet. */
  check(source: TransportAddress, ssrc: number, peerSsrc: number | undefined): LatchVerdict {
    if (this.latchedTo === undefined || sameTransportAddress(source, this.latchedTo)) {
      this.latchedTo ??= source;
      this.latchedSsrc = ssrc;
      this.candidate = undefined;
      return 'accept';
    }
    const followed = peerSsrc ?? this.latchedSsrc;
    if (ssrc !== followed) return 'foreign_source';
    if (this.candidate && this.candidate.ssrc === ssrc && sameTransportAddress(this.candidate.address, source)) this.candidate.count++;
    else this.candidate = { address: source, ssrc, count: 1 };
    if (this.candidate.count < this.required) return 'unconfirmed_source';
    this.latchedTo = source;
    this.latchedSsrc = ssrc;
    this.candidate = undefined;
    return 'relatched';
  }
}
