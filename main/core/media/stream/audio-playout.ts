/**
 * The receiving half of a call's audio: RTP packets in, the speaker's frames out.
 *
 *   push(packet) → jitter buffer (reorder, delay)
 *   pull()       → jitter buffer frame → decode │ conceal (G.711 App. I, Opus §4.4) │ CN (RFC 3389)
 *                → resample to the device rate → exactly one device frame
 *
 * The speaker pulls at its own clock; the jitter buffer plays one packet per pull at the peer's
 * packet duration, so a small queue in between turns packet-sized PCM into device-sized frames.
 */
import { ComfortNoiseDecoder, parseComfortNoise, type AudioDecoder, type VoiceCodec } from '../codecs/index.js';
import { JitterBuffer, type Clock, type JitterBufferStatistics, type PlayoutFrame } from '../jitter/index.js';
import { G711Plc } from '../plc/index.js';
import type { RtpPacket } from '../rtp/index.js';
import { payloadDurationReader } from './packet-duration.js';
import type { Resampler, ResamplerFactory } from './resampler.js';

export interface AudioPlayoutOptions {
  readonly clock: Clock;
  /** The codec we decode into: its PCM rate is the playout rate, its RTP clock the buffer's. */
  readonly codec: VoiceCodec;
  /** Every voice format the peer may send (RFC 3264 §5.1: any of the answer's formats), by payload type. */
  readonly voice: ReadonlyMap<number, VoiceCodec>;
  /** Comfort noise payload types at the same clock (RFC 3389 §4). */
  readonly comfortNoise: readonly number[];
  /** The frame duration to assume until packets show theirs (the negotiated ptime). */
  readonly frameMs: number;
  readonly deviceRate: number;
  readonly deviceFrameSamples: number;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly resampler: ResamplerFactory;
}

export interface AudioPlayoutStatistics {
  readonly jitterBuffer: JitterBufferStatistics;
  /** Payloads the decoder refused (counted, and concealed instead). */
  readonly decodeErrors: number;
  /** The packet duration the buffer plays at, in ms. */
  readonly frameMs: number;
}

interface Decoding {
  readonly codec: VoiceCodec;
  readonly decoder: AudioDecoder;
  /** How long a payload of this codec plays (read from the payload where it says). */
  readonly durationMs: (payload: Uint8Array) => number | undefined;
  /** From this codec's PCM rate to the playout rate, when they differ. */
  readonly resampler: Resampler | undefined;
}

/** G.711 Appendix I concealment works at 8 and 16 kHz only. */
function plcRate(rate: number): 8000 | 16000 | undefined {
  return rate === 8000 || rate === 16000 ? rate : undefined;
}

export class AudioPlayout {
  private readonly pcmRate: number;
  private readonly clockRate: number;
  private readonly decoding = new Map<number, Decoding>();
  private readonly comfortNoise: ReadonlySet<number>;
  private readonly noise: ComfortNoiseDecoder;
  private readonly toDevice: Resampler;
  /** G.711 Appendix I for waveform codecs; Opus conceals itself (RFC 6716 §4.4). */
  private readonly plc: G711Plc | undefined;
  /** The decoder of our codec, whose own concealment (if any) fills lost frames. */
  private readonly concealer: AudioDecoder;
  private jitter: JitterBuffer;
  private frameMs: number;
  private queue: Int16Array[] = [];
  private queued = 0;
  private inComfortNoise = false;
  private highestSequence: number | undefined;
  private decodeErrors = 0;
  /** Statistics of buffers replaced after a change of packet duration or of source. */
  private retired: JitterBufferStatistics | undefined;

  constructor(private readonly options: AudioPlayoutOptions) {
    this.pcmRate = options.codec.sampleRate;
    this.clockRate = options.codec.clockRate;
    this.comfortNoise = new Set(options.comfortNoise);
    this.noise = new ComfortNoiseDecoder(this.pcmRate, options.frameMs);
    this.toDevice = options.resampler(this.pcmRate, options.deviceRate);
    this.frameMs = options.frameMs;
    this.jitter = this.createJitterBuffer(options.frameMs);
    for (const [payloadType, codec] of options.voice) {
      if (codec.clockRate !== this.clockRate) continue;
      const resampler = codec.sampleRate === this.pcmRate ? undefined : options.resampler(codec.sampleRate, this.pcmRate);
      this.decoding.set(payloadType, { codec, decoder: codec.createDecoder(), durationMs: payloadDurationReader(codec.name), resampler });
    }
    this.concealer = [...this.decoding.values()].find((d) => d.codec === options.codec)?.decoder ?? options.codec.createDecoder();
    const rate = this.concealer.decodeLoss === undefined ? plcRate(this.pcmRate) : undefined;
    this.plc = rate === undefined ? undefined : new G711Plc({ sampleRate: rate });
  }

  /** Whether packets of this payload type can be played. */
  accepts(payloadType: number): boolean {
    return this.decoding.has(payloadType) || this.comfortNoise.has(payloadType);
  }

  /** A packet of the peer's (current) source, as the RTP session passed it up. */
  push(packet: RtpPacket, arrivalMs: number): void {
    const decoding = this.decoding.get(packet.payloadType);
    if (decoding === undefined && !this.comfortNoise.has(packet.payloadType)) return;
    if (decoding !== undefined) this.adoptPacketDuration(decoding.durationMs(packet.payload));
    this.jitter.push({
      sequence: this.extendSequence(packet.sequenceNumber),
      timestamp: packet.timestamp,
      marker: packet.marker,
      payloadType: packet.payloadType,
      payload: packet.payload,
      arrivalMs,
    });
  }

  /** The peer started a new source (RFC 3550 §8): its sequence and timestamps start afresh. */
  reset(): void {
    this.retire();
    this.jitter = this.createJitterBuffer(this.frameMs);
    this.highestSequence = undefined;
  }

  /** One device frame of PCM at the device rate. */
  pull(): Int16Array {
    const wanted = this.options.deviceFrameSamples;
    // Bounded: each round adds at least a frame (2.5 ms) of audio.
    for (let round = 0; this.queued < wanted && round < 64; round++) this.enqueue(this.toDevice.process(this.nextFrame()));
    const first = this.queue[0];
    if (first !== undefined && first.length === wanted) {
      // The usual case (packet and device frame of one duration): the frame as decoded, no copy.
      this.queue.shift();
      this.queued -= wanted;
      return first;
    }
    const out = new Int16Array(wanted);
    let filled = 0;
    while (filled < wanted && this.queue.length > 0) {
      const head = this.queue[0]!;
      const take = Math.min(head.length, wanted - filled);
      out.set(head.subarray(0, take), filled);
      filled += take;
      if (take === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(take);
    }
    this.queued -= filled;
    return out;
  }

  statistics(): AudioPlayoutStatistics {
    const jitterBuffer = addStatistics(this.retired, this.jitter.statistics());
    return { jitterBuffer, decodeErrors: this.decodeErrors, frameMs: this.frameMs };
  }

  private enqueue(pcm: Int16Array): void {
    if (pcm.length === 0) return;
    this.queue.push(pcm);
    this.queued += pcm.length;
  }

  private createJitterBuffer(frameMs: number): JitterBuffer {
    const { minDelayMs, maxDelayMs } = this.options;
    return new JitterBuffer({
      clock: this.options.clock,
      clockRate: this.clockRate,
      frameMs,
      comfortNoisePayloadTypes: [...this.comfortNoise],
      ...(minDelayMs === undefined ? {} : { minDelayMs }),
      ...(maxDelayMs === undefined ? {} : { maxDelayMs }),
    });
  }

  private retire(): void {
    this.retired = addStatistics(this.retired, this.jitter.statistics());
  }

  /**
   * The buffer plays one packet per frame, so its frame must be the peer's packet duration. A
   * usable duration that differs from the present one replaces the (then nearly empty) buffer.
   */
  private adoptPacketDuration(durationMs: number | undefined): void {
    if (durationMs === undefined || durationMs === this.frameMs) return;
    const samples = (durationMs * this.clockRate) / 1000;
    const pcmSamples = (durationMs * this.pcmRate) / 1000;
    const usable = durationMs >= 2.5 && durationMs <= 120 && Number.isInteger(samples) && Number.isInteger(pcmSamples) && (this.plc === undefined || pcmSamples % this.plc.frameSize === 0);
    if (!usable) return;
    this.retire();
    this.frameMs = durationMs;
    this.jitter = this.createJitterBuffer(durationMs);
  }

  /** RFC 3550 §A.1: the 16-bit sequence number extended by its wrap count (kept positive). */
  private extendSequence(sequence: number): number {
    if (this.highestSequence === undefined) {
      this.highestSequence = 0x1_0000 + sequence;
      return this.highestSequence;
    }
    const delta = ((sequence - (this.highestSequence & 0xffff) + 0x8000) & 0xffff) - 0x8000;
    const extended = this.highestSequence + delta;
    if (extended > this.highestSequence) this.highestSequence = extended;
    return extended;
  }

  private get frameSamples(): number {
    return Math.round((this.frameMs * this.pcmRate) / 1000);
  }

  /** One jitter-buffer frame of PCM at the playout rate. */
  private nextFrame(): Int16Array {
    const frame: PlayoutFrame = this.jitter.pull();
    switch (frame.kind) {
      case 'packet': {
        const payloadType = frame.packet.payloadType;
        if (this.comfortNoise.has(payloadType)) return this.comfortNoiseFrame(frame.packet.payload);
        this.inComfortNoise = false;
        const pcm = this.decode(payloadType, frame.packet.payload);
        if (pcm === undefined) return this.conceal();
        return this.plc ? this.plc.good(this.fit(pcm, this.frameSamples)) : pcm;
      }
      case 'conceal':
        return this.conceal();
      case 'silence': {
        // RFC 3389 §4: the noise goes on as the last descriptor said until speech resumes.
        const pcm = this.inComfortNoise ? this.noise.generate(this.frameMs) : new Int16Array(this.frameSamples);
        return this.plc ? this.plc.good(this.fit(pcm, this.frameSamples)) : pcm;
      }
    }
  }

  private comfortNoiseFrame(payload: Uint8Array): Int16Array {
    try {
      this.noise.update(parseComfortNoise(payload));
      this.inComfortNoise = true;
    } catch {
      this.decodeErrors++;
    }
    const pcm = this.inComfortNoise ? this.noise.generate(this.frameMs) : new Int16Array(this.frameSamples);
    return this.plc ? this.plc.good(this.fit(pcm, this.frameSamples)) : pcm;
  }

  private decode(payloadType: number, payload: Uint8Array): Int16Array | undefined {
    const decoding = this.decoding.get(payloadType);
    if (decoding === undefined) return undefined;
    try {
      const pcm = decoding.decoder.decode(payload);
      return decoding.resampler ? decoding.resampler.process(pcm) : pcm;
    } catch {
      // RFC 3550 §5: payloads are untrusted; one that does not decode is lost audio, not a failure.
      this.decodeErrors++;
      return undefined;
    }
  }

  /** A frame whose packet is missing: the codec's own concealment, else G.711 Appendix I. */
  private conceal(): Int16Array {
    if (this.inComfortNoise) {
      const pcm = this.noise.generate(this.frameMs);
      return this.plc ? this.plc.good(this.fit(pcm, this.frameSamples)) : pcm;
    }
    if (this.plc) return this.plc.conceal(this.frameSamples);
    return this.concealer.decodeLoss?.(this.frameMs) ?? new Int16Array(this.frameSamples);
  }

  /** Pads or cuts to `length` samples (G.711 App. I works on whole 10 ms frames). */
  private fit(pcm: Int16Array, length: number): Int16Array {
    if (pcm.length === length) return pcm;
    const out = new Int16Array(length);
    out.set(pcm.subarray(0, length));
    return out;
  }
}

/** Counters of a retired buffer added to the present one's; levels (delays, jitter) are the present one's. */
function addStatistics(old: JitterBufferStatistics | undefined, now: JitterBufferStatistics): JitterBufferStatistics {
  if (old === undefined) return now;
  return {
    ...now,
    received: old.received + now.received,
    played: old.played + now.played,
    late: old.late + now.late,
    lost: old.lost + now.lost,
    duplicates: old.duplicates + now.duplicates,
    concealedFrames: old.concealedFrames + now.concealedFrames,
    insertedFrames: old.insertedFrames + now.insertedFrames,
    droppedFrames: old.droppedFrames + now.droppedFrames,
    driftCorrections: old.driftCorrections + now.driftCorrections,
    talkspurtAdjustments: old.talkspurtAdjustments + now.talkspurtAdjustments,
    overflowDiscards: old.overflowDiscards + now.overflowDiscards,
  };
}
