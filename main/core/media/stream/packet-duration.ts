/**
 * How much audio a received payload holds, in RTP timestamp units, read from the payload itself:
 * the jitter buffer plays one packet per pull, so it must know the peer's packet duration, which
 * may differ from the a=ptime we asked for (RFC 4566 §6: ptime is only a wish).
 */

/** RFC 6716 §3.1 Table 2: frame size of each TOC config, in tenths of a millisecond. */
const OPUS_FRAME_TENTHS_MS = [
  // 0–11 SILK-only NB/MB/WB: 10, 20, 40, 60 ms
  100, 200, 400, 600, 100, 200, 400, 600, 100, 200, 400, 600,
  // 12–15 hybrid SWB/FB: 10, 20 ms
  100, 200, 100, 200,
  // 16–31 CELT-only NB/WB/SWB/FB: 2.5, 5, 10, 20 ms
  25, 50, 100, 200, 25, 50, 100, 200, 25, 50, 100, 200, 25, 50, 100, 200,
];

/** RFC 6716 §3.1–§3.2: duration of an Opus packet in ms, or undefined if its TOC is unreadable. */
export function opusPacketDurationMs(payload: Uint8Array): number | undefined {
  const toc = payload[0];
  if (toc === undefined) return undefined;
  const frameTenths = OPUS_FRAME_TENTHS_MS[toc >>> 3] ?? 0;
  let frames: number;
  switch (toc & 0x03) {
    case 0:
      frames = 1;
      break;
    case 1:
    case 2:
      frames = 2;
      break;
    default: {
      // §3.2.5: code 3 gives the count in the next octet's low six bits.
      const count = payload[1];
      if (count === undefined) return undefined;
      frames = count & 0x3f;
    }
  }
  const tenths = frames * frameTenths;
  // §3.2.5: at most 120 ms per packet.
  return tenths > 0 && tenths <= 1200 ? tenths / 10 : undefined;
}

/**
 * Duration in ms of a voice payload of the named codec, or undefined when the payload does not
 * say (then the negotiated ptime is assumed).
 * - PCMU/PCMA: one octet per 8 kHz sample (RFC 3551 §4.5.14).
 * - G722: one octet per two 16 kHz samples, i.e. per 8 kHz timestamp unit (RFC 3551 §4.5.2).
 */
export function payloadDurationMs(codecName: string, payload: Uint8Array): number | undefined {
  return payloadDurationReader(codecName)(payload);
}

/** `payloadDurationMs` for one codec, its name looked at once (not per packet). */
export function payloadDurationReader(codecName: string): (payload: Uint8Array) => number | undefined {
  switch (codecName.toLowerCase()) {
    case 'pcmu':
    case 'pcma':
    case 'g722':
      return octetPerUnitDurationMs;
    case 'opus':
      return opusPacketDurationMs;
    default:
      return unknownDurationMs;
  }
}

function octetPerUnitDurationMs(payload: Uint8Array): number | undefined {
  return payload.length === 0 ? undefined : payload.length / 8;
}

function unknownDurationMs(): undefined {
  return undefined;
}
