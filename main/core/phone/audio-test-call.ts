/**
 * The audio test ("can they hear me?"): a local echo call. Two MediaStreams on 127.0.0.1 — ours
 * on the chosen microphone and speaker, and an echo peer — so the voice takes the whole path a
 * call takes (volume → encode → RTP → jitter buffer → decode) both ways, and the echo peer plays
 * back what it received after a delay, as an echo test number would.
 */
import { samplesPerFrame, type AudioDevice, type AudioDriver, type AudioFormat, type AudioSink, type AudioSource } from '../audio/audio-driver.js';
import { FrameClock } from '../audio/frame-clock.js';
import { codecs, describeCodec, type AudioCodec } from '../media/codecs/index.js';
import { allocateRtpPort } from '../media/rtp-port.js';
import type { NegotiatedAudio } from '../media/sdp/index.js';
import { MediaStream } from '../media/stream/index.js';
import type { Logger } from '../log.js';
import type { DeviceChoice } from './audio-devices.js';

export interface AudioTestCallOptions {
  readonly driver: AudioDriver;
  readonly devices: DeviceChoice;
  readonly log: Logger;
  /** How long the echo waits before playing back (default 500 ms). */
  readonly delayMs?: number;
  /** The devices' sample rate; default the codec's own. */
  readonly deviceSampleRate?: number;
  /** The codec of the loop (default G.722, the first of our offer). */
  readonly codec?: AudioCodec;
}

export class AudioTestCall {
  private streams: MediaStream[] = [];
  private starting: Promise<void> | undefined;

  constructor(private readonly options: AudioTestCallOptions) {}

  get running(): boolean {
    return this.streams.length > 0 || this.starting !== undefined;
  }

  /** Starts the loop; a second start while it runs does nothing. Device errors are thrown. */
  async start(): Promise<void> {
    if (this.running) return this.starting;
    this.starting = this.open().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const streams = this.streams.splice(0);
    await Promise.all(streams.map((stream) => stream.stop()));
  }

  private async open(): Promise<void> {
    const { driver, devices, log } = this.options;
    const codec = describeCodec(this.options.codec ?? codecs.G722);
    const [near, far] = await Promise.all([allocateRtpPort('127.0.0.1'), allocateRtpPort('127.0.0.1')]);
    const common = { rtpTimeoutMs: 0, statsIntervalMs: 0, ...(this.options.deviceSampleRate === undefined ? {} : { deviceSampleRate: this.options.deviceSampleRate }) };
    const onError = (error: Error) => log.warn('audio test media error', { error: error.message });
    const ours = new MediaStream({
      ...common,
      port: near,
      driver,
      ...(devices.microphone === undefined ? {} : { inputDevice: devices.microphone }),
      ...(devices.speaker === undefined ? {} : { outputDevice: devices.speaker }),
      deviceAudio: devices.hooks(),
      delegate: { onError },
    });
    const echo = new MediaStream({ ...common, port: far, driver: new EchoDriver(this.options.delayMs ?? 500), delegate: { onError } });
    const negotiated = (remotePort: number): NegotiatedAudio => ({
      mediaIndex: 0,
      protocol: 'RTP/AVP',
      remoteAddress: '127.0.0.1',
      remotePort,
      rtcpAddress: '127.0.0.1',
      rtcpPort: remotePort + 1,
      rtcpMux: false,
      codec,
      codecs: [codec],
      ptime: 20,
      direction: 'sendrecv',
      remoteHold: false,
      crypto: [],
    });
    try {
      await echo.start(negotiated(near.port));
      await ours.start(negotiated(far.port));
    } catch (error) {
      await Promise.all([ours.stop(), echo.stop()]);
      throw error;
    }
    this.streams = [ours, echo];
  }
}

/**
 * The echo peer's "devices": what its speaker would play goes into a delay line, and its
 * microphone says it again `delayMs` later. One frame clock drives both.
 */
export class EchoDriver implements AudioDriver {
  readonly name = 'echo';
  private readonly line: Int16Array[] = [];
  private emit: ((pcm: Int16Array) => void) | undefined;

  constructor(private readonly delayMs: number) {}

  async listDevices(): Promise<AudioDevice[]> {
    return [];
  }

  async openSource(_deviceId: string | undefined, format: AudioFormat): Promise<AudioSource> {
    return {
      format,
      start: (onFrame) => void (this.emit = onFrame),
      stop: async () => void (this.emit = undefined),
    };
  }

  async openSink(_deviceId: string | undefined, format: AudioFormat): Promise<AudioSink> {
    const clock = new FrameClock({ frameMs: format.frameMs });
    const delayFrames = Math.round(this.delayMs / format.frameMs);
    const size = samplesPerFrame(format);
    return {
      format,
      start: (pull) => {
        clock.start(() => {
          this.line.push(pull());
          const out = this.line.length > delayFrames ? this.line.shift()! : new Int16Array(size);
          this.emit?.(out);
        });
      },
      stop: async () => {
        clock.stop();
        this.line.length = 0;
      },
    };
  }
}
