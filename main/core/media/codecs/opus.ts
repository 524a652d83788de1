/**
 * Opus (RFC 6716) over RTP (RFC 7587), through libopus in the `@discordjs/opus` native addon
 * (N-API, so one build serves Node and Electron). Loaded on first use, so that a machine where
 * the addon did not build still has every other codec (CodecUnavailableError says why).
 *
 * We send and receive mono; the SDP still says 2 channels, as RFC 7587 §7 requires of every
 * Opus rtpmap, and stereo=0/sprop-stereo=0 say we prefer mono (§6.1). The RTP clock is always
 * 48000 (§4.1) whatever rate the PCM is at.
 */
import { createRequire } from 'node:module';
import type { OpusEncoder as LibOpus } from '@discordjs/opus';
import type { AudioDecoder, AudioEncoder, VoiceCodec } from './audio-codec.js';
import { CodecError, CodecUnavailableError } from './codec-error.js';

/** The PCM rates libopus runs at (RFC 6716 §2: it resamples internally to these). */
export type OpusSampleRate = 8000 | 12000 | 16000 | 24000 | 48000;

export interface OpusOptions {
  /** The PCM rate: 48000, or the audio device's rate to spare a resampler. */
  readonly sampleRate?: OpusSampleRate;
  /** Target bit rate in bit/s (RFC 7587 §3.1.1: 6–510 kbit/s; ~24–32 kbit/s is wideband-transparent speech). */
  readonly bitrate?: number;
  /** Frame duration in ms; RFC 6716 §2.1.4 allows 2.5, 5, 10, 20, 40, 60. */
  readonly frameDurationMs?: 10 | 20 | 40 | 60;
  /** Dynamic payload type for our offers (RFC 3551 §3). */
  readonly payloadType?: number;
  /** Loss rate (percent) the encoder plans in-band FEC for (RFC 6716 §2.1.7). */
  readonly expectedLossPercent?: number;
}

// libopus request codes and values (opus_defines.h).
const OPUS_SET_APPLICATION_REQUEST = 4000;
const OPUS_APPLICATION_VOIP = 2048;
const OPUS_SET_INBAND_FEC_REQUEST = 4012;
const OPUS_SET_PACKET_LOSS_PERC_REQUEST = 4014;
const OPUS_SET_SIGNAL_REQUEST = 4024;
const OPUS_SIGNAL_VOICE = 3001;
/** The addon decodes at most 120 ms per call (RFC 6716 §3.2.5: a packet holds at most 120 ms). */
const MAX_DECODED_MS = 120;

interface LibOpusModule {
  OpusEncoder: new (rate: number, channels: number) => LibOpus;
}

let loaded: LibOpusModule | CodecUnavailableError | undefined;

function libopus(): LibOpusModule {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('@discordjs/opus') as LibOpusModule;
    } catch (error) {
      loaded = new CodecUnavailableError('opus', 'the @discordjs/opus native addon could not be loaded (npm rebuild @discordjs/opus)', { cause: error });
    }
  }
  if (loaded instanceof CodecUnavailableError) throw loaded;
  return loaded;
}

/** Whether libopus loads on this machine; the codec table offers Opus only where it does. */
export function isOpusAvailable(): boolean {
  try {
    libopus();
    return true;
  } catch {
    return false;
  }
}

class OpusFrameEncoder implements AudioEncoder {
  private readonly lib: LibOpus;

  constructor(
    private readonly sampleRate: OpusSampleRate,
    bitrate: number,
    expectedLossPercent: number,
  ) {
    this.lib = new (libopus().OpusEncoder)(sampleRate, 1);
    // The application can only be set before the first frame (opus_encoder_ctl).
    this.lib.applyEncoderCTL(OPUS_SET_APPLICATION_REQUEST, OPUS_APPLICATION_VOIP);
    this.lib.applyEncoderCTL(OPUS_SET_SIGNAL_REQUEST, OPUS_SIGNAL_VOICE);
    this.lib.setBitrate(bitrate);
    // We offer useinbandfec=1 (RFC 7587 §6.1); libopus adds FEC only when told to expect loss.
    this.lib.applyEncoderCTL(OPUS_SET_INBAND_FEC_REQUEST, 1);
    this.lib.applyEncoderCTL(OPUS_SET_PACKET_LOSS_PERC_REQUEST, expectedLossPercent);
  }

  encode(pcm: Int16Array): Uint8Array {
    // RFC 6716 §2.1.4: 2.5, 5, 10, 20, 40 or 60 ms; the addon does not check (it would crash).
    const tenthsOfMs = (pcm.length * 10_000) / this.sampleRate;
    if (![25, 50, 100, 200, 400, 600].includes(tenthsOfMs)) {
      throw new CodecError('opus', `${pcm.length} samples at ${this.sampleRate} Hz is not an Opus frame duration`);
    }
    const packet = this.lib.encode(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    return new Uint8Array(packet.buffer, packet.byteOffset, packet.byteLength);
  }
}

class OpusFrameDecoder implements AudioDecoder {
  private readonly lib: LibOpus;

  constructor(private readonly sampleRate: OpusSampleRate) {
    this.lib = new (libopus().OpusEncoder)(sampleRate, 1);
  }

  decode(payload: Uint8Array): Int16Array {
    // An empty payload is not an Opus packet (RFC 6716 §3.1: at least the TOC byte); libopus would conceal.
    if (payload.length === 0) throw new CodecError('opus', 'empty payload');
    let pcm: Buffer;
    try {
      pcm = this.lib.decode(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
    } catch (error) {
      throw new CodecError('opus', error instanceof Error ? error.message : String(error));
    }
    return copyPcm(pcm);
  }

  /**
   * Packet loss concealment (RFC 6716 §4.4), from libopus' own model of the signal. The addon
   * conceals 120 ms per call whatever is asked (it passes its whole buffer as the frame size),
   * so we return the first `durationMs` of it; libopus fades a long concealment out, so the
   * frame after a short loss may start a little quieter than with an exact-length call.
   */
  decodeLoss(durationMs: number): Int16Array {
    const wanted = Math.round((durationMs * this.sampleRate) / 1000);
    const out = new Int16Array(wanted);
    let filled = 0;
    while (filled < wanted) {
      const concealed = copyPcm(this.lib.decode(Buffer.alloc(0)));
      if (concealed.length === 0) break;
      const take = Math.min(concealed.length, wanted - filled);
      out.set(concealed.subarray(0, take), filled);
      filled += take;
    }
    return out;
  }
}

/** The addon's little-endian bytes → an Int16Array of its own (the Buffer's offset may be odd). */
function copyPcm(bytes: Buffer): Int16Array {
  const out = new Int16Array(bytes.byteLength >> 1);
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.byteLength));
  return out;
}

/** An Opus codec table entry; `opus` in the registry is this with the defaults. */
export function createOpusCodec(options: OpusOptions = {}): VoiceCodec {
  const sampleRate = options.sampleRate ?? 48000;
  const bitrate = options.bitrate ?? 32000;
  const frameDurationMs = options.frameDurationMs ?? 20;
  const expectedLossPercent = options.expectedLossPercent ?? 10;
  if (!Number.isInteger(bitrate) || bitrate < 6000 || bitrate > 510000) throw new RangeError(`opus bitrate ${bitrate} is outside 6000–510000`);
  if (frameDurationMs > MAX_DECODED_MS) throw new RangeError(`opus frame duration ${frameDurationMs} ms`);
  return {
    name: 'opus',
    clockRate: 48000,
    sampleRate,
    channels: 2,
    payloadType: options.payloadType ?? 111,
    // RFC 7587 §6.1: what we can play and what we capture, mono preferred, and in-band FEC.
    fmtp: `maxplaybackrate=${sampleRate};sprop-maxcapturerate=${sampleRate};stereo=0;sprop-stereo=0;useinbandfec=1`,
    frameDurationMs,
    createEncoder: () => new OpusFrameEncoder(sampleRate, bitrate, expectedLossPercent),
    createDecoder: () => new OpusFrameDecoder(sampleRate),
  };
}
