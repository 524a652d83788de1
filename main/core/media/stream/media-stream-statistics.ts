import type { JitterBufferStatistics } from '../jitter/index.js';

/** One call's media figures, as `MediaStream.statistics()` and `onStats` give them. */
export interface MediaStreamStatistics {
  /** The codec we send with, as in a=rtpmap (e.g. `PCMU/8000`). */
  readonly codec: string;
  /** RTP packets and payload octets sent (RFC 3550 §6.4.1 sender's packet and octet counts). */
  readonly packetsSent: number;
  readonly bytesSent: number;
  /** RTP packets and payload octets of the peer's source that RTP accepted (§A.3, duplicates included). */
  readonly packetsReceived: number;
  readonly bytesReceived: number;
  /** §6.4.1 cumulative number of packets lost (never negative here), and its share of those expected. */
  readonly packetsLost: number;
  readonly lossPercent: number;
  /** §6.4.1 interarrival jitter of what we receive, in ms. */
  readonly jitterMs: number;
  /** §6.4.1, from the peer's reports about our stream. */
  readonly roundTripTimeMs: number | undefined;
  /** The peer's view of our stream, from its last RR/SR report block. */
  readonly remote: { readonly lossPercent: number; readonly packetsLost: number; readonly jitterMs: number } | undefined;
  /**
   * Estimated MOS of what we hear (ITU-T G.107 E-model): loss in the network and late in the
   * jitter buffer, delay of half the RTT plus the buffer plus one packet. Undefined until
   * something was received.
   */
  readonly mos: number | undefined;
  readonly jitterBuffer: {
    readonly delayMs: number;
    readonly targetDelayMs: number;
    readonly late: number;
    readonly lost: number;
    readonly concealed: number;
    readonly played: number;
  };
  /**
   * Packets dropped, by reason: the RTP session's (malformed, foreign, SRTP failures…) and the
   * stream's own (`unknown_payload_type`, `not_receiving`, `bad_telephone_event`, `send_error`:
   * failed sends of RTCP and of the RTP packets checked, one in 50, see MediaStream.transmit).
   */
  readonly dropped: Readonly<Record<string, number>>;
  readonly rtcpSent: number;
  readonly rtcpReceived: number;
}

export function jitterBufferFigures(jb: JitterBufferStatistics): MediaStreamStatistics['jitterBuffer'] {
  return {
    delayMs: jb.currentDelayMs,
    targetDelayMs: jb.targetDelayMs,
    late: jb.late,
    lost: jb.lost,
    concealed: jb.concealedFrames,
    played: jb.played,
  };
}
