import type { NegotiatedCodec } from './codec-description.js';
import type { MediaDirection } from './media-direction.js';

/**
 * What an offer/answer exchange settled for the audio stream, seen from our side: where to send,
 * with what, and in which directions. The per-call media stream is built from this.
 */
export interface NegotiatedAudio {
  /** Which m= line carries it, from 0. */
  readonly mediaIndex: number;
  readonly protocol: string;
  /** Where to send RTP. `0.0.0.0` only with a legacy hold, in which case `direction` never sends. */
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Where to send RTCP: a=rtcp (RFC 3605), else port + 1 (RFC 3550 §11), else the RTP port when muxed. */
  readonly rtcpAddress: string;
  readonly rtcpPort: number;
  /** RTP and RTCP share the port (RFC 5761 §5.1.1: offered and accepted). */
  readonly rtcpMux: boolean;
  /** The codec to send with: the first voice codec of the answer. */
  readonly codec: NegotiatedCodec;
  /** Every format both sides accept, in the answer's order (what may arrive), incl. CN and events. */
  readonly codecs: readonly NegotiatedCodec[];
  /** RFC 4733 events, with the payload type agreed for them. */
  readonly telephoneEvent?: { readonly payloadType: number; readonly clockRate: number };
  /** Packet duration to send with, in ms: the peer's a=ptime (RFC 4566 §6), else ours, else 20. */
  readonly ptime: number;
  /** What we do: sendrecv, sendonly (we do not receive), recvonly, inactive. */
  readonly direction: MediaDirection;
  /**
   * The peer has put us on hold (RFC 6337 §5.3): its stream is sendonly or inactive, or uses the
   * legacy c=0.0.0.0 of RFC 2543 (RFC 3264 §8.4).
   */
  readonly remoteHold: boolean;
  /** The peer's a=crypto values, verbatim (RFC 4568): all offered ones, or the one answered. */
  readonly crypto: readonly string[];
}
