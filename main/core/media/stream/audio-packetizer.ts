/**
 * The sending half's framing: PCM from the microphone (already at the codec's rate) is cut into
 * frames of the negotiated packet duration and encoded, one RTP payload per frame.
 */
import type { AudioEncoder, VoiceCodec } from '../codecs/index.js';

export interface EncodedFrame {
  readonly payload: Uint8Array;
  /** RTP timestamp units the payload covers (RFC 3550 §5.1; G.722: 8000 Hz units for 16 kHz PCM, RFC 3551 §4.5.2). */
  readonly samples: number;
}

/** RFC 6716 §2.1.4 frame durations that fit one Opus packet from our encoder. */
const OPUS_FRAME_MS = [10, 20, 40, 60];

/**
 * The packet duration we can send for a negotiated ptime (RFC 4566 §6: a=ptime is the peer's
 * wish). G.711/G.722: any whole number of 10 ms frames up to 200 ms (RFC 3551 §4.2: packets
 * should stay short); Opus: a duration its encoder makes, else 20 ms (RFC 7587 §4.2).
 */
export function sendPacketMs(codec: VoiceCodec, ptime: number): number {
  if (codec.name.toLowerCase() === 'opus') return OPUS_FRAME_MS.includes(ptime) ? ptime : 20;
  const rounded = Math.round(ptime / 10) * 10;
  return Math.min(200, Math.max(10, Number.isFinite(rounded) ? rounded : 20));
}

export class AudioPacketizer {
  readonly packetMs: number;
  private readonly encoder: AudioEncoder;
  private readonly frameSamples: number;
  private readonly timestampUnits: number;
  private readonly pending: Int16Array;
  private filled = 0;

  constructor(codec: VoiceCodec, ptime: number) {
    this.packetMs = sendPacketMs(codec, ptime);
    this.encoder = codec.createEncoder();
    this.frameSamples = Math.round((codec.sampleRate * this.packetMs) / 1000);
    this.timestampUnits = Math.round((codec.clockRate * this.packetMs) / 1000);
    this.pending = new Int16Array(this.frameSamples);
  }

  /** Takes PCM of any length; returns the payloads of the frames it completed. */
  push(pcm: Int16Array): EncodedFrame[] {
    const frames: EncodedFrame[] = [];
    let offset = 0;
    // Whole frames straight from the input when nothing is pending (device frame = packet, usually).
    while (this.filled === 0 && pcm.length - offset >= this.frameSamples) {
      const frame = offset === 0 && pcm.length === this.frameSamples ? pcm : pcm.subarray(offset, offset + this.frameSamples);
      frames.push({ payload: this.encoder.encode(frame), samples: this.timestampUnits });
      offset += this.frameSamples;
    }
    while (offset < pcm.length) {
      const take = Math.min(pcm.length - offset, this.frameSamples - this.filled);
      this.pending.set(pcm.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.frameSamples) {
        this.filled = 0;
        frames.push({ payload: this.encoder.encode(this.pending), samples: this.timestampUnits });
      }
    }
    return frames;
  }

  /** Drops a partly filled frame (sending stops: hold, DTMF). */
  reset(): void {
    this.filled = 0;
  }
}
