/**
 * The media of one call (ARCHITECTURE, "Where a call's data flows"):
 *
 *   microphone → resample → packetize + encode → RtpSession (→ SRTP) → UDP   (RTCP: port + 1 or muxed)
 *   UDP (both sockets) → RtpSession (SRTP, checks, latching) ┬→ telephone-event → onDtmf
 *                                                            └→ AudioPlayout → speaker
 *
 * Built from what SDP negotiation settled (`NegotiatedAudio`), changed by re-INVITEs through
 * `update()`. It owns the call's RTP port once started and closes it on `stop()`.
 *
 *   idle ──start()──▶ starting ──devices open──▶ running ──stop()──▶ stopped
 *     │                  │ (open fails: back to idle)                  ▲
 *     └──────────────────┴──────────────────stop()─────────────────────┘
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { RemoteInfo } from 'node:dgram';
import type { AudioDriver, AudioFormat, AudioSink, AudioSource } from '../../audio/audio-driver.js';
import { findCodec, type VoiceCodec } from '../codecs/index.js';
import { DtmfError, DtmfParseError, eventForDigit, telephoneEventPackets, TelephoneEventReceiver, type TelephoneEventPacket } from '../dtmf/index.js';
import { CODEC_IMPAIRMENTS, estimateMos, RtpSession, systemClock, type CodecImpairment, type RtpClock, type RtpDestination, type RtpPacket, type RtpTimer, type TransportAddress } from '../rtp/index.js';
import type { RtpPort } from '../rtp-port.js';
import type { NegotiatedAudio } from '../sdp/index.js';
import { receives, sends } from '../sdp/media-direction.js';
import { isComfortNoise, isVoiceCodec } from '../sdp/codec-description.js';
import { parseSdesCrypto, SdesCryptoError, SrtpSession, srtpKeyMaterial, type SdesCrypto } from '../srtp/index.js';
import { AudioPacketizer } from './audio-packetizer.js';
import { AudioPlayout } from './audio-playout.js';
import { MediaStreamError } from './media-stream-error.js';
import { jitterBufferFigures, type MediaStreamStatistics } from './media-stream-statistics.js';
import { polyphaseResampler } from '../../audio/resampler/index.js';
import type { Resampler, ResamplerFactory } from './resampler.js';

/** Upward reports (ARCHITECTURE: a delegate, not string events). */
export interface MediaStreamDelegate {
  /** The peer pressed a key (RFC 4733 event start). */
  onDtmf?(digit: string): void;
  /** Every `statsIntervalMs` while running. */
  onStats?(statistics: MediaStreamStatistics): void;
  /** No RTP for `rtpTimeoutMs` while we expect media (we receive, and the peer has not put us on hold). */
  onRtpTimeout?(): void;
  /** A device or socket failed, or a bug surfaced in a callback; the stream goes on where it can. */
  onError?(error: Error): void;
}

/**
 * Per-frame hooks on the device side of the stream (volume, level meters): each gets a device
 * frame and returns the frame to use instead (or the same one).
 */
export interface DeviceAudioHooks {
  /** Each microphone frame, before mute and encoding. */
  microphone?(frame: Int16Array): Int16Array;
  /** Each speaker frame, after decoding and playout, before the device plays it. */
  speaker?(frame: Int16Array): Int16Array;
}

export interface MediaStreamOptions {
  /** The call's bound RTP/RTCP sockets (the port our SDP named). */
  readonly port: RtpPort;
  readonly driver: AudioDriver;
  /** Device ids for the driver; undefined: the system default. */
  readonly inputDevice?: string;
  readonly outputDevice?: string;
  /**
   * Our own a=crypto keys: all we offered, or the one we answered with (RFC 4568 §7.1). The one
   * whose tag the peer's line carries keys our direction.
   */
  readonly sdes?: readonly SdesCrypto[];
  /** Jitter buffer delay bounds in ms (defaults 20 and 300). */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Default 30 000; 0 turns the check off. */
  readonly rtpTimeoutMs?: number;
  /** Default 5000. */
  readonly statsIntervalMs?: number;
  /** The rate the devices are opened at; default the codec's PCM rate (no resampling). */
  readonly deviceSampleRate?: number;
  /** Device frame duration in ms; default 20. */
  readonly deviceFrameMs?: number;
  /** Wall-clock ms and timers (RTCP, DTMF, statistics, timeout). */
  readonly clock?: RtpClock;
  readonly resampler?: ResamplerFactory;
  /** RFC 3550 §6.5.1 CNAME; default a random token. */
  readonly cname?: string;
  /** Close the port on stop() (default true). */
  readonly closePort?: boolean;
  readonly delegate?: MediaStreamDelegate;
  readonly deviceAudio?: DeviceAudioHooks;
}

/** What became of a `sendDtmf()`. */
export type DtmfSendOutcome =
  /** Queued as RFC 4733 telephone-events. */
  | 'queued'
  /** The peer did not accept telephone-event: send it another way (SIP INFO, RFC 6086). */
  | 'not_negotiated'
  /** We do not send media now (hold, inactive, not started). */
  | 'not_sending';

type State = 'idle' | 'starting' | 'running' | 'stopped';

interface TelephoneEventFormat {
  readonly payloadType: number;
  readonly clockRate: number;
}

/** Everything that depends on the codec: rebuilt when a re-INVITE changes it. */
interface Pipeline {
  readonly codec: VoiceCodec;
  readonly payloadType: number;
  readonly packetizer: AudioPacketizer;
  readonly fromMicrophone: Resampler;
  readonly playout: AudioPlayout;
  readonly telephoneEvent: TelephoneEventFormat | undefined;
  dtmfReceiver: TelephoneEventReceiver;
}

interface DtmfInProgress {
  readonly packets: readonly TelephoneEventPacket[];
  readonly format: TelephoneEventFormat;
  readonly durationUnits: number;
  next: number;
  /** Timestamp units the event packets have moved the stream on (long events, RFC 4733 §2.5.1.3). */
  advanced: number;
  /** Timestamp units of microphone audio not sent while the event played. */
  suppressed: number;
  timer: RtpTimer | undefined;
}

interface Carried {
  packetsSent: number;
  octetsSent: number;
  packetsReceived: number;
  octetsReceived: number;
  packetsLost: number;
  expected: number;
  rtcpSent: number;
  rtcpReceived: number;
  readonly dropped: Record<string, number>;
}

const DEFAULT_RTP_TIMEOUT_MS = 30_000;
const DEFAULT_STATS_INTERVAL_MS = 5000;
const DEFAULT_DTMF_DURATION_MS = 160;
/** ITU-T Q.24: receivers need a pause between digits; 40 ms is the usual minimum. */
const INTER_DIGIT_PAUSE_MS = 60;
/** At most this long to wait for the BYE to leave before the sockets close. */
const FLUSH_TIMEOUT_MS = 200;
/** One RTP send in this many is made with a completion callback (see transmit). */
const RTP_SEND_CHECK_INTERVAL = 50;

const random32 = (): number => randomInt(0, 0x1_0000_0000);

function impairmentOf(codec: VoiceCodec): CodecImpairment {
  switch (codec.name.toLowerCase()) {
    case 'pcmu':
    case 'pcma':
      // We conceal with G.711 Appendix I.
      return CODEC_IMPAIRMENTS['PCMU+PLC'];
    case 'g722':
      return CODEC_IMPAIRMENTS.G722;
    case 'opus':
      return CODEC_IMPAIRMENTS.opus;
    default:
      return CODEC_IMPAIRMENTS['PCMU+PLC'];
  }
}

function voiceCodecOf(format: { name: string; clockRate: number }): VoiceCodec | undefined {
  const codec = findCodec(format);
  if (codec === undefined || codec.createEncoder === undefined || codec.createDecoder === undefined) return undefined;
  return codec as VoiceCodec;
}

function unspecified(address: string): boolean {
  // RFC 3264 §8.4 (RFC 2543 hold): c=0.0.0.0 means "send nothing".
  return address === '0.0.0.0' || address === '::';
}

function transportKey(n: NegotiatedAudio): string {
  return JSON.stringify([n.remoteAddress, n.remotePort, n.rtcpAddress, n.rtcpPort, n.rtcpMux, n.protocol, n.crypto]);
}

function codecKey(n: NegotiatedAudio): string {
  return JSON.stringify([n.codec.name, n.codec.clockRate, n.codec.payloadType, n.ptime, n.telephoneEvent, n.codecs.map((c) => [c.name, c.clockRate, c.payloadType])]);
}

export class MediaStream {
  private readonly clock: RtpClock;
  private readonly delegate: MediaStreamDelegate;
  private readonly cname: string;
  private readonly resampler: ResamplerFactory;
  private state: State = 'idle';
  private negotiated: NegotiatedAudio | undefined;
  private session: RtpSession | undefined;
  private pipeline: Pipeline | undefined;
  private source: AudioSource | undefined;
  private sink: AudioSink | undefined;
  private deviceFormat: AudioFormat | undefined;
  /** Only the newest RtpSession may send: a replaced one's last reports are dropped. */
  private generation = 0;
  private ssrc = 0;
  private nextSequence = 0;
  private nextTimestamp = 0;
  private muted = false;
  private dtmf: DtmfInProgress | undefined;
  private readonly dtmfQueue: { digit: string; durationMs: number }[] = [];
  private dtmfPause: RtpTimer | undefined;
  private statsTimer: RtpTimer | undefined;
  private timeoutTimer: RtpTimer | undefined;
  private lastMediaAt = 0;
  private timedOut = false;
  /** Sends with a callback not yet called back. */
  private inFlight = 0;
  /** RTP sends since the last one made with a callback (the first is checked). */
  private uncheckedSends = RTP_SEND_CHECK_INTERVAL - 1;
  private flushed: (() => void) | undefined;
  private stopping: Promise<void> | undefined;
  private readonly dropped: Record<string, number> = {};
  /** The sockets we send from and receive on: the options' port until `usePort` moves it. */
  private port: RtpPort;
  /** Ports also received on while a move to them is being agreed (`receiveOn`). */
  private readonly extraPorts = new Set<RtpPort>();
  private readonly carried: Carried = { packetsSent: 0, octetsSent: 0, packetsReceived: 0, octetsReceived: 0, packetsLost: 0, expected: 0, rtcpSent: 0, rtcpReceived: 0, dropped: {} };

  constructor(private readonly options: MediaStreamOptions) {
    this.clock = options.clock ?? systemClock;
    this.delegate = options.delegate ?? {};
    this.cname = options.cname ?? randomBytes(12).toString('base64url');
    // Windowed-sinc (no aliasing when a 48 kHz device meets an 8 kHz codec); see audio/resampler.
    this.resampler = options.resampler ?? polyphaseResampler;
    this.port = options.port;
  }

  /** Opens the devices and starts sending and receiving as negotiated. */
  async start(negotiated: NegotiatedAudio): Promise<void> {
    if (this.state !== 'idle') throw new MediaStreamError('invalid_state', `start() while ${this.state}`);
    const codec = this.voiceCodec(negotiated);
    const security = this.security(negotiated);
    this.state = 'starting';
    const format: AudioFormat = { sampleRate: this.options.deviceSampleRate ?? codec.sampleRate, channels: 1, frameMs: this.options.deviceFrameMs ?? 20 };
    let source: AudioSource | undefined;
    let sink: AudioSink | undefined;
    try {
      source = await this.options.driver.openSource(this.options.inputDevice, format);
      sink = await this.options.driver.openSink(this.options.outputDevice, format);
    } catch (error) {
      await source?.stop();
      if (this.state === 'starting') this.state = 'idle';
      throw error;
    }
    if (this.state !== 'starting') {
      // stop() came while the devices opened.
      await Promise.all([source.stop(), sink.stop()]);
      return;
    }
    this.source = source;
    this.sink = sink;
    this.deviceFormat = format;
    this.negotiated = negotiated;
    this.ssrc = random32() >>> 0;
    this.nextSequence = random32() & 0xffff;
    this.nextTimestamp = random32() >>> 0;
    this.pipeline = this.createPipeline(negotiated, codec);
    this.session = this.createSession(negotiated, codec, security);
    this.state = 'running';
    this.listen(this.port);
    this.session.start();
    this.lastMediaAt = this.clock.now();
    source.start(this.onMicrophoneFrame, (error) => this.report(error));
    sink.start(this.onSpeakerPull, (error) => this.report(error));
    this.scheduleStatistics();
    this.scheduleTimeoutCheck();
  }

  /**
   * A re-INVITE settled something new (RFC 3264 §8): direction (hold, RFC 6337 §5.3), the remote
   * address or port, keys, or the codec. The devices stay open at their format; our SSRC and
   * sequence go on when the RTP clock rate stays the same.
   */
  update(negotiated: NegotiatedAudio): void {
    if (this.state === 'stopped') return;
    const previous = this.negotiated;
    if (this.state !== 'running' || previous === undefined) throw new MediaStreamError('invalid_state', `update() while ${this.state}`);
    const codec = this.voiceCodec(negotiated);
    const codecChanged = codecKey(previous) !== codecKey(negotiated);
    const clockChanged = previous.codec.clockRate !== negotiated.codec.clockRate;
    const transportChanged = transportKey(previous) !== transportKey(negotiated) || clockChanged;
    const security = transportChanged ? this.security(negotiated) : undefined;
    const wasReceiving = this.expectsMedia(previous);
    this.negotiated = negotiated;
    if (codecChanged) {
      this.cancelDtmf();
      this.pipeline = this.createPipeline(negotiated, codec);
    } else if (!sends(negotiated.direction)) {
      this.cancelDtmf();
    }
    if (transportChanged) {
      const old = this.session;
      if (old !== undefined) this.retire(old);
      if (clockChanged) {
        // A new timestamp clock is a new timeline: a new source (RFC 3550 §8), and the old one says BYE (§6.6).
        old?.stop('codec change');
        this.ssrc = random32() >>> 0;
        this.nextSequence = random32() & 0xffff;
        this.nextTimestamp = random32() >>> 0;
        this.generation++;
      } else {
        this.generation++;
        old?.stop();
      }
      this.session = this.createSession(negotiated, codec, security);
      this.session.start();
    }
    if (!wasReceiving && this.expectsMedia(negotiated)) {
      // Media is expected again (resumed from hold): the timeout counts from now.
      this.lastMediaAt = this.clock.now();
      this.timedOut = false;
    }
  }

  /**
   * Also receives on `port` (a move to it is being offered: the peer may send there as soon as
   * it has our offer, before its answer reaches us). Sending stays on the current port.
   */
  receiveOn(port: RtpPort): void {
    if (this.state !== 'running' || port === this.port || this.extraPorts.has(port)) return;
    this.extraPorts.add(port);
    this.listen(port);
  }

  /** No longer receives on a port given to `receiveOn` (the move was refused); its owner closes it. */
  releasePort(port: RtpPort): void {
    if (!this.extraPorts.delete(port)) return;
    this.unlisten(port);
  }

  /**
   * Moves the stream to `port` (a network change: the address or port our SDP names changed,
   * RFC 3264 §8.3.1): sends from it and receives on it from now on; the old port is left and
   * closed (unless `closePort` is false). The RTP session, SSRC and sequence go on.
   */
  usePort(port: RtpPort): void {
    if (this.state === 'stopped' || port === this.port) return;
    const old = this.port;
    const listening = this.state === 'running';
    if (listening && !this.extraPorts.has(port)) this.listen(port);
    this.extraPorts.delete(port);
    this.port = port;
    if (listening) this.unlisten(old);
    if (this.options.closePort ?? true) {
      for (const socket of [old.rtp, old.rtcp]) {
        try {
          socket.close();
        } catch {
          // Already closed by its owner.
        }
      }
    }
  }

  private listen(port: RtpPort): void {
    port.rtp.on('message', this.onRtpDatagram);
    port.rtcp.on('message', this.onRtcpDatagram);
    port.rtp.on('error', this.onSocketError);
    port.rtcp.on('error', this.onSocketError);
  }

  private unlisten(port: RtpPort): void {
    port.rtp.off('message', this.onRtpDatagram);
    port.rtcp.off('message', this.onRtcpDatagram);
    port.rtp.off('error', this.onSocketError);
    port.rtcp.off('error', this.onSocketError);
  }

  /** Muted: the microphone's frames are replaced by silence, so the peer keeps receiving packets. */
  mute(muted: boolean): void {
    this.muted = muted;
  }

  get isMuted(): boolean {
    return this.muted;
  }

  /**
   * Sends a digit as RFC 4733 telephone-events with the negotiated payload type. Digits queue;
   * a bad digit or duration throws a DtmfError (the caller's mistake).
   */
  sendDtmf(digit: string, durationMs = DEFAULT_DTMF_DURATION_MS): DtmfSendOutcome {
    eventForDigit(digit);
    if (!Number.isFinite(durationMs) || durationMs < 20 || durationMs > 60_000) throw new DtmfError(`duration ${durationMs} ms is out of 20..60000`);
    const negotiated = this.negotiated;
    if (this.state !== 'running' || negotiated === undefined || !sends(negotiated.direction) || unspecified(negotiated.remoteAddress)) return 'not_sending';
    if (this.pipeline?.telephoneEvent === undefined) return 'not_negotiated';
    this.dtmfQueue.push({ digit, durationMs });
    if (this.dtmf === undefined && this.dtmfPause === undefined) this.nextDigit();
    return 'queued';
  }

  statistics(): MediaStreamStatistics {
    const pipeline = this.pipeline;
    const s = this.session?.statistics();
    const received = s?.received;
    const clockRate = pipeline?.codec.clockRate ?? 8000;
    const c = this.carried;
    const packetsLost = c.packetsLost + Math.max(0, received?.cumulativeLost ?? 0);
    const expected = c.expected + (received?.expected ?? 0);
    const playout = pipeline?.playout.statistics();
    const jb = playout?.jitterBuffer;
    const dropped: Record<string, number> = { ...c.dropped };
    for (const [reason, count] of [...Object.entries(s?.dropped ?? {}), ...Object.entries(this.dropped)]) dropped[reason] = (dropped[reason] ?? 0) + (count ?? 0);
    const remoteReport = s?.remoteReport;
    let mos: number | undefined;
    if (expected > 0 && pipeline && jb && playout) {
      mos = estimateMos({
        codec: impairmentOf(pipeline.codec),
        lossPercent: (100 * Math.min(expected, packetsLost + jb.late)) / expected,
        delayMs: (s?.roundTripTimeMs ?? 0) / 2 + Math.max(0, jb.currentDelayMs) + playout.frameMs,
      });
    }
    return {
      codec: pipeline ? `${pipeline.codec.name}/${pipeline.codec.clockRate}` : '',
      packetsSent: c.packetsSent + (s?.packetsSent ?? 0),
      bytesSent: c.octetsSent + (s?.octetsSent ?? 0),
      packetsReceived: c.packetsReceived + (received?.packetsReceived ?? 0),
      bytesReceived: c.octetsReceived + (received?.octetsReceived ?? 0),
      packetsLost,
      lossPercent: expected > 0 ? (100 * packetsLost) / expected : 0,
      jitterMs: received ? (received.jitter * 1000) / clockRate : 0,
      roundTripTimeMs: s?.roundTripTimeMs,
      remote: remoteReport && {
        lossPercent: (100 * remoteReport.fractionLost) / 256,
        packetsLost: Math.max(0, remoteReport.cumulativeLost),
        jitterMs: (remoteReport.jitter * 1000) / clockRate,
      },
      mos,
      jitterBuffer: jb ? jitterBufferFigures(jb) : { delayMs: 0, targetDelayMs: 0, late: 0, lost: 0, concealed: 0, played: 0 },
      dropped,
      rtcpSent: c.rtcpSent + (s?.rtcpSent ?? 0),
      rtcpReceived: c.rtcpReceived + (s?.rtcpReceived ?? 0),
    };
  }

  /**
   * Ends the call's media: RTCP BYE (RFC 3550 §6.6), devices closed, sockets closed, timers
   * cancelled. Idempotent; later calls return the same promise.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    const wasRunning = this.state === 'running';
    this.state = 'stopped';
    this.statsTimer?.cancel();
    this.timeoutTimer?.cancel();
    this.cancelDtmf();
    this.dtmfQueue.length = 0;
    const port = this.port;
    for (const extra of this.extraPorts) this.unlisten(extra);
    this.extraPorts.clear();
    port.rtp.off('message', this.onRtpDatagram);
    port.rtcp.off('message', this.onRtcpDatagram);
    if (wasRunning) {
      this.session?.stop();
      await this.flush();
    }
    port.rtp.off('error', this.onSocketError);
    port.rtcp.off('error', this.onSocketError);
    const devices = [this.source, this.sink].map(async (device) => {
      try {
        await device?.stop();
      } catch (error) {
        this.report(error);
      }
    });
    await Promise.all(devices);
    if (this.options.closePort ?? true) {
      for (const socket of [port.rtp, port.rtcp]) {
        try {
          socket.close();
        } catch {
          // Already closed (by the owner): nothing left to release.
        }
      }
    }
  }

  private voiceCodec(negotiated: NegotiatedAudio): VoiceCodec {
    const codec = voiceCodecOf(negotiated.codec);
    if (codec === undefined) throw new MediaStreamError('unsupported_codec', `cannot encode and decode ${negotiated.codec.name}/${negotiated.codec.clockRate}`);
    return codec;
  }

  /**
   * RFC 4568 §7.1.2: the peer's a=crypto line we use is the one whose tag and suite match a key
   * of ours (the answer names the offer's tag). No match under RTP/SAVP is an error; without
   * crypto lines and under RTP/AVP the call is plain RTP.
   */
  private security(negotiated: NegotiatedAudio): SrtpSession | undefined {
    const secure = /SAVP/i.test(negotiated.protocol);
    if (negotiated.crypto.length === 0 && !secure) return undefined;
    const ours = this.options.sdes ?? [];
    for (const line of negotiated.crypto) {
      let remote: SdesCrypto;
      try {
        remote = parseSdesCrypto(line);
      } catch (error: unknown) {
        if (error instanceof SdesCryptoError) continue;
        throw error;
      }
      const local = ours.find((key) => key.tag === remote.tag && key.suite === remote.suite);
      if (local === undefined) continue;
      return new SrtpSession(srtpKeyMaterial(local), srtpKeyMaterial(remote), remote.windowSizeHint === undefined ? {} : { replayWindow: remote.windowSizeHint });
    }
    throw new MediaStreamError('srtp_keys', ours.length === 0 ? 'SRTP negotiated but no keys of ours were given' : 'no a=crypto line of the peer matches a key of ours');
  }

  private createPipeline(negotiated: NegotiatedAudio, codec: VoiceCodec): Pipeline {
    const format = this.deviceFormat;
    if (format === undefined) throw new MediaStreamError('invalid_state', 'devices are not open');
    // RFC 3264 §5.1: the peer may send any format of the answer, not only the first.
    const voice = new Map<number, VoiceCodec>();
    for (const format of negotiated.codecs) {
      if (!isVoiceCodec(format)) continue;
      const candidate = voiceCodecOf(format);
      if (candidate !== undefined) voice.set(format.payloadType, candidate);
    }
    voice.set(negotiated.codec.payloadType, codec);
    const comfortNoise = negotiated.codecs.filter((c) => isComfortNoise(c) && c.clockRate === codec.clockRate).map((c) => c.payloadType);
    const packetizer = new AudioPacketizer(codec, negotiated.ptime);
    const deviceFrameSamples = Math.round((format.sampleRate * format.frameMs) / 1000);
    const telephoneEvent = negotiated.telephoneEvent;
    return {
      codec,
      payloadType: negotiated.codec.payloadType,
      packetizer,
      fromMicrophone: this.resampler(format.sampleRate, codec.sampleRate),
      playout: new AudioPlayout({
        clock: this.clock,
        codec,
        voice,
        comfortNoise,
        frameMs: packetizer.packetMs,
        deviceRate: format.sampleRate,
        deviceFrameSamples,
        resampler: this.resampler,
        ...(this.options.minDelayMs === undefined ? {} : { minDelayMs: this.options.minDelayMs }),
        ...(this.options.maxDelayMs === undefined ? {} : { maxDelayMs: this.options.maxDelayMs }),
      }),
      telephoneEvent: telephoneEvent && { payloadType: telephoneEvent.payloadType, clockRate: telephoneEvent.clockRate },
      dtmfReceiver: new TelephoneEventReceiver({ clockRate: telephoneEvent?.clockRate ?? 8000 }),
    };
  }

  private createSession(negotiated: NegotiatedAudio, codec: VoiceCodec, security: SrtpSession | undefined): RtpSession {
    const generation = this.generation;
    // §5.1: SSRC, first sequence number and timestamp are random; we draw them so that a new
    // session after a re-INVITE can carry the same stream on.
    const initial = [this.ssrc, this.nextSequence, this.nextTimestamp];
    const remoteRtp: TransportAddress = { address: negotiated.remoteAddress, port: negotiated.remotePort };
    return new RtpSession({
      send: (packet, to) => {
        if (generation === this.generation) this.transmit(packet, to, negotiated.rtcpMux);
      },
      clockRate: codec.clockRate,
      payloadType: negotiated.codec.payloadType,
      cname: this.cname,
      remoteRtp,
      // RFC 3605 a=rtcp, else port + 1 (RFC 3550 §11); muxed: the RTP address (RFC 5761 §5.1.3).
      remoteRtcp: negotiated.rtcpMux ? remoteRtp : { address: negotiated.rtcpAddress, port: negotiated.rtcpPort },
      rtcpMux: negotiated.rtcpMux,
      ...(security === undefined ? {} : { security }),
      clock: this.clock,
      randomUint32: () => initial.shift() ?? random32(),
      codec: impairmentOf(codec),
      delegate: {
        onRtp: (packet) => this.onRtp(packet),
        onSourceChange: () => {
          this.pipeline?.playout.reset();
          if (this.pipeline) this.pipeline.dtmfReceiver = new TelephoneEventReceiver({ clockRate: this.pipeline.telephoneEvent?.clockRate ?? 8000 });
        },
      },
    });
  }

  /** Keeps the figures of a session about to be replaced. */
  private retire(session: RtpSession): void {
    const s = session.statistics();
    const c = this.carried;
    c.packetsSent += s.packetsSent;
    c.octetsSent += s.octetsSent;
    c.packetsReceived += s.received?.packetsReceived ?? 0;
    c.octetsReceived += s.received?.octetsReceived ?? 0;
    c.packetsLost += Math.max(0, s.received?.cumulativeLost ?? 0);
    c.expected += s.received?.expected ?? 0;
    c.rtcpSent += s.rtcpSent;
    c.rtcpReceived += s.rtcpReceived;
    for (const [reason, count] of Object.entries(s.dropped)) c.dropped[reason] = (c.dropped[reason] ?? 0) + (count ?? 0);
  }

  private sendRtp(payload: Uint8Array, samples: number, payloadType: number, marker?: boolean): void {
    this.session?.sendRtp(payload, marker === undefined ? { samples, payloadType } : { samples, payloadType, marker });
    this.nextSequence = (this.nextSequence + 1) & 0xffff;
    this.nextTimestamp = (this.nextTimestamp + samples) >>> 0;
  }

  private skip(samples: number): void {
    if (samples <= 0) return;
    this.session?.skipSamples(samples);
    this.nextTimestamp = (this.nextTimestamp + samples) >>> 0;
  }

  /** RFC 3550 §11: RTCP leaves from the RTCP port, so the peer can latch it; muxed, from the RTP one (RFC 5761 §4). */
  private transmit(packet: Uint8Array, to: RtpDestination, rtcpMux: boolean): void {
    if (this.state !== 'running' && this.state !== 'stopped') return;
    if (unspecified(to.address) || to.port === 0) return;
    const socket = to.channel === 'rtcp' && !rtcpMux ? this.port.rtcp : this.port.rtp;
    // Node calls a send's callback on the next tick even when the datagram left at once: a pass
    // through its tick queue per packet, a sizeable share of a call's CPU. So RTCP (rare, and its
    // BYE must leave before the sockets close: flush() waits for it) always has a callback, RTP
    // one packet in RTP_SEND_CHECK_INTERVAL (about once a second), enough to see a send error
    // that lasts (no route, no interface) in `send_error`; a lone failed RTP send goes unseen.
    const checked = to.channel === 'rtcp' || ++this.uncheckedSends >= RTP_SEND_CHECK_INTERVAL;
    try {
      if (checked) {
        this.uncheckedSends = 0;
        this.inFlight++;
        socket.send(packet, to.port, to.address, this.afterSend);
      } else {
        socket.send(packet, to.port, to.address);
      }
    } catch {
      // The socket is already closed.
      this.count('send_error');
      if (checked) this.sent();
    }
  }

  /** One callback for every checked send (not a closure per packet). */
  private readonly afterSend = (error: Error | null): void => {
    if (error) this.count('send_error');
    this.sent();
  };

  private sent(): void {
    this.inFlight--;
    if (this.inFlight === 0) this.flushed?.();
  }

  /** Waits (bounded) for sends in flight, so the BYE leaves before the sockets close. */
  private flush(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, FLUSH_TIMEOUT_MS);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.flushed = done;
    });
  }

  private readonly onRtpDatagram = (datagram: Buffer, from: RemoteInfo): void => this.receive(datagram, from, 'rtp');

  private readonly onRtcpDatagram = (datagram: Buffer, from: RemoteInfo): void => this.receive(datagram, from, 'rtcp');

  private readonly onSocketError = (error: Error): void => this.report(error);

  /** A datagram from either socket; whatever is wrong with it is counted and dropped by the session. */
  private receive(datagram: Buffer, from: RemoteInfo, channel: 'rtp' | 'rtcp'): void {
    if (this.state !== 'running') return;
    try {
      this.session?.receive(new Uint8Array(datagram.buffer, datagram.byteOffset, datagram.byteLength), { address: from.address, port: from.port }, channel);
    } catch (error) {
      this.report(error);
    }
  }

  private onRtp(packet: RtpPacket): void {
    const negotiated = this.negotiated;
    const pipeline = this.pipeline;
    if (negotiated === undefined || pipeline === undefined) return;
    const now = this.clock.now();
    this.lastMediaAt = now;
    this.timedOut = false;
    // RFC 3264 §5.1: in sendonly or inactive we do not receive; what the peer sends anyway is dropped.
    if (!receives(negotiated.direction)) {
      this.count('not_receiving');
      return;
    }
    if (pipeline.telephoneEvent !== undefined && packet.payloadType === pipeline.telephoneEvent.payloadType) {
      this.receiveDtmf(pipeline, { timestamp: packet.timestamp, marker: packet.marker, payload: packet.payload, arrivalMs: now });
      return;
    }
    if (!pipeline.playout.accepts(packet.payloadType)) {
      // RFC 3550 §5.1: a payload type we cannot play is ignored.
      this.count('unknown_payload_type');
      return;
    }
    pipeline.playout.push(packet, now);
  }

  private receiveDtmf(pipeline: Pipeline, packet: { timestamp: number; marker: boolean; payload: Uint8Array; arrivalMs: number }): void {
    let events;
    try {
      events = pipeline.dtmfReceiver.receive(packet);
    } catch (error: unknown) {
      if (error instanceof DtmfParseError) {
        this.count('bad_telephone_event');
        return;
      }
      throw error;
    }
    for (const event of events) if (event.type === 'start') this.delegate.onDtmf?.(event.digit);
  }

  private readonly onMicrophoneFrame = (frame: Int16Array): void => {
    const pipeline = this.pipeline;
    const negotiated = this.negotiated;
    const format = this.deviceFormat;
    if (this.state !== 'running' || pipeline === undefined || negotiated === undefined || format === undefined) return;
    try {
      const units = Math.round((frame.length * pipeline.codec.clockRate) / format.sampleRate);
      const heard = this.options.deviceAudio?.microphone?.(frame) ?? frame;
      // The resampler keeps running, so its state stays continuous whatever is sent.
      const pcm = pipeline.fromMicrophone.process(this.muted ? new Int16Array(heard.length) : heard);
      if (this.dtmf !== undefined) {
        // While an event plays, its packets stand for this time (the digit is not heard twice).
        this.dtmf.suppressed += units;
        return;
      }
      if (!sends(negotiated.direction) || unspecified(negotiated.remoteAddress)) {
        // RFC 3264 §5.1 (sendonly/inactive peer, hold): no RTP, but time goes on, and the next
        // packet starts a talkspurt with the marker bit (RFC 3551 §4.1).
        pipeline.packetizer.reset();
        this.skip(units);
        return;
      }
      for (const encoded of pipeline.packetizer.push(pcm)) this.sendRtp(encoded.payload, encoded.samples, pipeline.payloadType);
    } catch (error) {
      this.report(error);
    }
  };

  private silentDeviceFrame(): Int16Array {
    const format = this.deviceFormat;
    return new Int16Array(format ? Math.round((format.sampleRate * format.frameMs) / 1000) : 0);
  }

  private readonly onSpeakerPull = (): Int16Array => {
    const pipeline = this.pipeline;
    if (this.state !== 'running' || pipeline === undefined || this.negotiated === undefined) return this.silentDeviceFrame();
    try {
      // RFC 4733 §2.5.2.2: an event whose end packets were all lost ends after a silence.
      for (const event of pipeline.dtmfReceiver.poll(this.clock.now())) if (event.type === 'start') this.delegate.onDtmf?.(event.digit);
      const frame = pipeline.playout.pull();
      return this.options.deviceAudio?.speaker?.(frame) ?? frame;
    } catch (error) {
      this.report(error);
      return this.silentDeviceFrame();
    }
  };

  private nextDigit(): void {
    this.dtmfPause = undefined;
    const pipeline = this.pipeline;
    const format = pipeline?.telephoneEvent;
    const request = this.dtmfQueue.shift();
    if (pipeline === undefined || format === undefined || request === undefined || this.state !== 'running') return;
    pipeline.packetizer.reset();
    // RFC 4733 §2.5.1.2: one packet per packet interval, all with the event's start timestamp.
    const packets = telephoneEventPackets({ digit: request.digit, durationMs: request.durationMs, timestamp: 0, clockRate: format.clockRate, intervalMs: pipeline.packetizer.packetMs });
    this.dtmf = {
      packets,
      format,
      durationUnits: Math.round((request.durationMs * pipeline.codec.clockRate) / 1000),
      next: 0,
      advanced: 0,
      suppressed: 0,
      timer: undefined,
    };
    this.sendEventPacket();
  }

  private sendEventPacket(): void {
    const dtmf = this.dtmf;
    const pipeline = this.pipeline;
    if (dtmf === undefined || pipeline === undefined || this.state !== 'running') return;
    dtmf.timer = undefined;
    const packet = dtmf.packets[dtmf.next];
    if (packet === undefined) {
      this.finishDigit(dtmf);
      return;
    }
    // §2.5.1.3: a long event's later segments start 0xFFFF units on; the audio clock may differ.
    const offset = Math.round((packet.timestamp * pipeline.codec.clockRate) / dtmf.format.clockRate);
    if (offset > dtmf.advanced) {
      this.skip(offset - dtmf.advanced);
      dtmf.advanced = offset;
    }
    this.sendRtp(packet.payload, 0, dtmf.format.payloadType, packet.marker);
    dtmf.next++;
    const following = dtmf.packets[dtmf.next];
    const delay = following === undefined ? 0 : following.sendOffsetMs - packet.sendOffsetMs;
    dtmf.timer = this.clock.setTimer(() => this.guard(() => this.sendEventPacket()), delay);
  }

  /** The event is over: the timestamp moves past it and audio resumes with a new talkspurt. */
  private finishDigit(dtmf: DtmfInProgress): void {
    this.dtmf = undefined;
    this.skip(Math.max(dtmf.suppressed, dtmf.durationUnits) - dtmf.advanced);
    if (this.dtmfQueue.length > 0) this.dtmfPause = this.clock.setTimer(() => this.guard(() => this.nextDigit()), INTER_DIGIT_PAUSE_MS);
  }

  private cancelDtmf(): void {
    this.dtmf?.timer?.cancel();
    this.dtmf = undefined;
    this.dtmfPause?.cancel();
    this.dtmfPause = undefined;
    this.dtmfQueue.length = 0;
  }

  private expectsMedia(negotiated: NegotiatedAudio): boolean {
    // Not while we hold (sendonly/inactive) nor while the peer holds us: it may send nothing then.
    return receives(negotiated.direction) && !negotiated.remoteHold;
  }

  private scheduleStatistics(): void {
    const interval = this.options.statsIntervalMs ?? DEFAULT_STATS_INTERVAL_MS;
    if (interval <= 0) return;
    this.statsTimer = this.clock.setTimer(() => {
      if (this.state !== 'running') return;
      this.guard(() => this.delegate.onStats?.(this.statistics()));
      this.scheduleStatistics();
    }, interval);
  }

  private scheduleTimeoutCheck(): void {
    const timeout = this.options.rtpTimeoutMs ?? DEFAULT_RTP_TIMEOUT_MS;
    if (timeout <= 0) return;
    this.timeoutTimer = this.clock.setTimer(
      () => {
        if (this.state !== 'running') return;
        const negotiated = this.negotiated;
        const now = this.clock.now();
        if (negotiated === undefined || !this.expectsMedia(negotiated)) {
          this.lastMediaAt = now;
        } else if (!this.timedOut && now - this.lastMediaAt >= timeout) {
          // Once per silence: it fires again only after media came back and stopped again.
          this.timedOut = true;
          this.guard(() => this.delegate.onRtpTimeout?.());
        }
        this.scheduleTimeoutCheck();
      },
      Math.min(1000, Math.max(50, timeout / 4)),
    );
  }

  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.report(error);
    }
  }

  private count(reason: string): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
  }

  private report(error: unknown): void {
    const reported = error instanceof Error ? error : new Error(String(error));
    try {
      this.delegate.onError?.(reported);
    } catch {
      // A delegate that throws must not stop the media.
    }
  }
}
