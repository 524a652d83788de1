/**
 * RFC 5761 §4: with RTP and RTCP on one port, a packet whose second octet (marker bit ignored)
 * is 64–95 is RTCP — that range holds RTCP types 192–223, and RTP must not use those payload
 * types when muxing.
 */
export function isRtcpPacket(bytes: Uint8Array): boolean {
  const payloadType = (bytes[1] ?? 0) & 0x7f;
  return bytes.length >= 2 && payloadType >= 64 && payloadType <= 95;
}
