/**
 * RTCP transmission interval, RFC 3550 §6.3.1 and the rtcp_interval() of §A.7: a minimum of
 * 5 s (half of it before the first report), scaled by the share of the RTCP bandwidth, then
 * randomised over [0.5, 1.5] and divided by e − 3/2 to compensate for timer reconsideration.
 */

/** §6.2: the minimum interval, in seconds. */
export const RTCP_MIN_TIME = 5;
const RTCP_SENDER_BW_FRACTION = 0.25;
const RTCP_RCVR_BW_FRACTION = 1 - RTCP_SENDER_BW_FRACTION;
const COMPENSATION = Math.E - 1.5;

export interface RtcpIntervalInput {
  /** Session members, us included. */
  readonly members: number;
  /** Members that sent RTP since the last-but-one report, us included when we did. */
  readonly senders: number;
  /** RTCP bandwidth in octets per second: 5% of the session bandwidth (§6.2). */
  readonly rtcpBandwidth: number;
  readonly weSent: boolean;
  /** Average compound RTCP size in octets, lower-layer headers included (§6.3.3). */
  readonly averageRtcpSize: number;
  /** True before our first report. */
  readonly initial: boolean;
}

/** The interval in milliseconds; `random` returns [0, 1). */
export function rtcpInterval(input: RtcpIntervalInput, random: () => number): number {
  const minimum = input.initial ? RTCP_MIN_TIME / 2 : RTCP_MIN_TIME;
  let bandwidth = input.rtcpBandwidth;
  let n = input.members;
  // §6.3.1: senders share a quarter of the bandwidth when they are at most a quarter of members.
  if (input.senders <= input.members * RTCP_SENDER_BW_FRACTION) {
    if (input.weSent) {
      bandwidth *= RTCP_SENDER_BW_FRACTION;
      n = input.senders;
    } else {
      bandwidth *= RTCP_RCVR_BW_FRACTION;
      n -= input.senders;
    }
  }
  let t = bandwidth > 0 ? (input.averageRtcpSize * n) / bandwidth : minimum;
  if (t < minimum) t = minimum;
  t *= random() + 0.5;
  t /= COMPENSATION;
  return t * 1000;
}

/** §6.3.3: avg_rtcp_size = 1/16 · packet_size + 15/16 · avg_rtcp_size. */
export function updateAverageRtcpSize(average: number, packetSize: number): number {
  return packetSize / 16 + (15 / 16) * average;
}
