/**
 * The audio conference bridge (PJSIP's conference bridge, pjmedia/conference.c): the one owner
 * of the real microphone and speaker, with every call — and every player — as a port on it.
 *
 *   real microphone ─▶ MicrophoneFifo ─▶ microphone hook ─┐
 *                                                         ├─▶ routing + mix ─▶ each port's virtual microphone
 *   each port's virtual speaker (its peer) ───────────────┤                   (a MediaStream's source)
 *   players (music on hold) ──────────────────────────────┘─▶ mix ─▶ speaker hook ─▶ real speaker
 *
 * One tick per frame, driven by the real speaker's pull (the device clock), or by a timer of
 * the bridge's own while no speaker runs (opening, switching, failed devices): ports never stop.
 *
 * Routing: ports and the device (`DEVICE_PORT`) are joined by symmetric connections. The device
 * hears every port connected to it; a port hears the microphone (if connected to the device and
 * not muted) and every other port it is connected to — never itself. A held port hears only its
 * music (or silence) and is heard by no one. Talkers entering or leaving a mix fade over a frame.
 *
 * The real devices open when the first port's virtual device starts and close when the last
 * stops, so the ringer may use them between calls.
 */
import { samplesPerFrame, type AudioDriver, type AudioFormat, type AudioSink, type AudioSource } from '../audio-driver.js';
import { FrameClock } from '../frame-clock.js';
import { polyphaseResampler } from '../resampler/index.js';
import type { PcmPullSource } from '../tones/pcm-pull-source.js';
import type { ResamplerFactory } from '../../media/stream/resampler.js';
import { AudioBridgeError } from './audio-bridge-error.js';
import { BridgePortDriver } from './bridge-port-driver.js';
import { BridgeRecording, type RecordingSink } from './bridge-recording.js';
import { DeviceSlot, type DeviceSlotDelegate, type RetryPolicy } from './device-slot.js';
import { MicrophoneFifo, type MicrophoneFifoStatistics } from './microphone-fifo.js';
import { addRamped, fitFrame, saturate } from './saturating-mix.js';

/** The local user's end: the real microphone as a talker, the real speaker as a listener. */
export const DEVICE_PORT = 'device';

/**
 * Per-frame hooks at the device, once for all calls (the shape of MediaStream's
 * `DeviceAudioHooks`, so the same object fits): the microphone frame before it is mixed, the
 * speaker frame after. Within a tick the speaker hook runs first, so an echo canceller in the
 * microphone hook has this tick's speaker frame as its reference.
 */
export interface BridgeAudioHooks {
  microphone?(frame: Int16Array): Int16Array;
  speaker?(frame: Int16Array): Int16Array;
}

export interface AudioBridgeDelegate extends DeviceSlotDelegate {
  /** A hook, a player or a recording threw; the tick went on without it. */
  onError?(error: Error): void;
}

export interface AudioBridgeOptions {
  /** The real sound card. */
  readonly driver: AudioDriver;
  /** The mixing rate, at which the real devices open (e.g. 48000, or 16000 for wideband calls only). */
  readonly sampleRate: number;
  /** Frame duration of a tick (default 20 ms). */
  readonly frameMs?: number;
  /** Device ids; undefined: the system default. */
  readonly input?: string;
  readonly output?: string;
  readonly hooks?: BridgeAudioHooks;
  readonly delegate?: AudioBridgeDelegate;
  /** Rate conversion for ports whose stream is not at the bridge's rate (default polyphase, quality 4). */
  readonly resampler?: ResamplerFactory;
  /** Reopening failed devices. */
  readonly retry?: RetryPolicy;
  /** Microphone FIFO capacity in frames (default 5). */
  readonly microphoneFrames?: number;
  /** Clock for the bridge's own timer (default performance.now). */
  readonly now?: () => number;
}

export interface CreatePortOptions {
  /** Connect the port to the device: the user hears it and speaks to it (default true). */
  readonly connectToDevice?: boolean;
}

/** A call's place on the bridge: give `driver` to its MediaStream in place of the sound card. */
export interface BridgePort {
  readonly name: string;
  readonly driver: AudioDriver;
}

export interface AudioBridgeStatistics {
  readonly ticks: number;
  /** What drives the ticks now. */
  readonly clock: 'device' | 'timer' | 'stopped';
  /** Device ids in use: undefined is the system default, null none open. */
  readonly input: string | undefined | null;
  readonly output: string | undefined | null;
  readonly microphone: MicrophoneFifoStatistics;
}

interface StreamPort {
  readonly kind: 'stream';
  readonly name: string;
  readonly driver: BridgePortDriver;
  muted: boolean;
  /** On hold: hears only this (a port name) or, when null, silence; undefined: not held. */
  held: string | null | undefined;
}

interface PlayerPort {
  readonly kind: 'player';
  readonly name: string;
  readonly source: PcmPullSource;
}

type Port = StreamPort | PlayerPort;

export class AudioBridge {
  readonly format: AudioFormat;
  private readonly frameSamples: number;
  private readonly ports = new Map<string, Port>();
  /** Symmetric: links.get(a).has(b) ⇔ links.get(b).has(a). Includes DEVICE_PORT. */
  private readonly links = new Map<string, Set<string>>([[DEVICE_PORT, new Set()]]);
  /** Listener → talker → the gain reached at the end of the last tick (0…1). */
  private readonly gains = new Map<string, Map<string, number>>();
  private readonly recordings = new Set<BridgeRecording>();
  /** Listener → whom it hears (and whether all are in at full gain): worked out once per routing. */
  private readonly routes = new Map<string, { readonly talkers: ReadonlySet<string>; settled: boolean }>();
  /** The ports in order, once per routing. */
  private portList: Port[] | undefined;
  /** What each port (and the device) said this tick; cleared, not remade, each tick. */
  private readonly said = new Map<string, Int16Array>();
  private readonly fifo: MicrophoneFifo;
  private readonly input: DeviceSlot<AudioSource>;
  private readonly output: DeviceSlot<AudioSink>;
  private readonly timer: FrameClock;
  private readonly resampler: ResamplerFactory;
  private readonly accumulator: Float64Array;
  private inputId: string | undefined;
  private outputId: string | undefined;
  private active = false;
  private closed = false;
  private ticks = 0;
  private readonly now: () => number;
  /** The timer's last tick: its speaker frame, which no device played, and when it was made. */
  private timerFrame: { readonly speaker: Int16Array; readonly at: number } | undefined;

  constructor(private readonly options: AudioBridgeOptions) {
    this.format = { sampleRate: options.sampleRate, channels: 1, frameMs: options.frameMs ?? 20 };
    this.frameSamples = samplesPerFrame(this.format);
    if (!Number.isInteger(options.sampleRate) || options.sampleRate < 8000 || !Number.isInteger(this.frameSamples) || this.frameSamples <= 0) {
      throw new AudioBridgeError('unsupported_format', `no whole frame of ${this.format.frameMs} ms at ${options.sampleRate} Hz`);
    }
    this.accumulator = new Float64Array(this.frameSamples);
    this.resampler = options.resampler ?? polyphaseResampler;
    this.inputId = options.input;
    this.outputId = options.output;
    this.fifo = new MicrophoneFifo({ frameSamples: this.frameSamples, ...(options.microphoneFrames === undefined ? {} : { capacity: options.microphoneFrames }) });
    const delegate = options.delegate ?? {};
    const retry = options.retry === undefined ? {} : { retry: options.retry };
    this.now = options.now ?? (() => performance.now());
    this.timer = new FrameClock({ frameMs: this.format.frameMs, now: this.now });
    this.input = new DeviceSlot<AudioSource>({
      kind: 'input',
      open: (id) => options.driver.openSource(id, this.format),
      start: (source, onError) => source.start((frame) => this.onMicrophoneFrame(source, frame), onError),
      onLost: () => this.fifo.reset(),
      delegate,
      ...retry,
    });
    this.output = new DeviceSlot<AudioSink>({
      kind: 'output',
      open: (id) => options.driver.openSink(id, this.format),
      start: (sink, onError) => sink.start(() => this.onSpeakerPull(sink), onError),
      // Until another speaker pulls, the bridge's own timer keeps the ports' frames coming.
      onLost: () => this.runTimer(),
      delegate,
      ...retry,
    });
  }

  /** Adds a call's port; its `driver` is the call's virtual sound card. */
  createPort(name: string, options: CreatePortOptions = {}): BridgePort {
    this.checkNewName(name);
    const driver = new BridgePortDriver({ port: name, format: this.format, resampler: this.resampler, onActivity: () => this.updateActivity() });
    this.ports.set(name, { kind: 'stream', name, driver, muted: false, held: undefined });
    this.links.set(name, new Set());
    this.routingChanged();
    if (options.connectToDevice ?? true) this.connect(name, DEVICE_PORT);
    return { name, driver };
  }

  /** The virtual sound card of port `name`. */
  driverFor(name: string): AudioDriver {
    const port = this.port(name);
    if (port.kind !== 'stream') throw new AudioBridgeError('unknown_port', `${name} is a player, not a call's port`);
    return port.driver;
  }

  /**
   * Adds a port that plays `source` (music on hold, an announcement) to whatever it is connected
   * to. The source must be mono at the bridge's rate (`LoopedPcmSource` converts a clip). It is
   * pulled every tick, so it keeps its own time whoever listens.
   */
  createPlayer(name: string, source: PcmPullSource): void {
    if (source.sampleRate !== this.format.sampleRate || source.channels !== 1) {
      throw new AudioBridgeError('unsupported_format', `player ${name} is ${source.sampleRate} Hz × ${source.channels}, the bridge ${this.format.sampleRate} Hz mono`);
    }
    this.checkNewName(name);
    this.ports.set(name, { kind: 'player', name, source });
    this.links.set(name, new Set());
    this.routingChanged();
  }

  /** Removes a port (the call ended): its connections and recordings end, its virtual devices go quiet. */
  removePort(name: string): void {
    const port = this.port(name);
    this.isolate(name);
    this.ports.delete(name);
    this.links.delete(name);
    this.gains.delete(name);
    for (const gains of this.gains.values()) gains.delete(name);
    for (const other of this.ports.values()) if (other.kind === 'stream' && other.held === name) other.held = null;
    this.routingChanged();
    for (const recording of [...this.recordings]) if (recording.port === name) recording.stop();
    if (port.kind === 'stream') port.driver.detach();
    this.updateActivity();
  }

  get portNames(): string[] {
    return [...this.ports.keys()];
  }

  /** `a` and `b` hear each other (a player only speaks). `DEVICE_PORT` is the local user. */
  connect(a: string, b: string): void {
    if (a === b) throw new AudioBridgeError('invalid_connection', `a port does not hear itself (${a})`);
    this.linksOf(a).add(b);
    this.linksOf(b).add(a);
    this.routingChanged();
  }

  disconnect(a: string, b: string): void {
    this.linksOf(a).delete(b);
    this.linksOf(b).delete(a);
    this.routingChanged();
  }

  isConnected(a: string, b: string): boolean {
    return this.linksOf(a).has(b);
  }

  /** Cuts every connection of `name`, the device's included. */
  isolate(name: string): void {
    for (const other of [...this.linksOf(name)]) this.disconnect(name, other);
  }

  /** The microphone is not sent to this port (the call's mute); what it hears is unchanged. */
  setMuted(name: string, muted: boolean): void {
    this.streamPort(name).muted = muted;
    this.routingChanged();
  }

  /**
   * Holds a port: it hears only `music` (a port, normally a player) or silence, and no one hears
   * it. Its connections are kept for `unhold`.
   */
  hold(name: string, music?: string): void {
    if (music !== undefined) {
      if (music === name) throw new AudioBridgeError('invalid_connection', `a port does not hear itself (${name})`);
      this.port(music);
    }
    this.streamPort(name).held = music ?? null;
    this.routingChanged();
  }

  unhold(name: string): void {
    this.streamPort(name).held = undefined;
    this.routingChanged();
  }

  isHeld(name: string): boolean {
    return this.streamPort(name).held !== undefined;
  }

  /**
   * Taps a port's conversation: what was sent to it mixed with what its peer said, mono at the
   * bridge's rate, to a WAV file (or a sink) until `stop()` or the port's removal. Several may run.
   */
  record(name: string, target: string | RecordingSink): BridgeRecording {
    this.streamPort(name);
    const recording = new BridgeRecording(name, target, this.format.sampleRate, (r) => this.recordings.delete(r));
    this.recordings.add(recording);
    return recording;
  }

  /**
   * Moves to other devices (a key present with undefined: the system default; absent: unchanged).
   * The ports go on: the bridge's timer ticks while the speaker is swapped.
   */
  async setDevices(devices: { readonly input?: string | undefined; readonly output?: string | undefined }): Promise<void> {
    if ('input' in devices) this.inputId = devices.input;
    if ('output' in devices) this.outputId = devices.output;
    await Promise.all([this.input.update(this.active, this.inputId), this.output.update(this.active, this.outputId)]);
  }

  statistics(): AudioBridgeStatistics {
    return {
      ticks: this.ticks,
      clock: !this.active ? 'stopped' : this.timer.running ? 'timer' : 'device',
      input: this.input.deviceInUse,
      output: this.output.deviceInUse,
      microphone: this.fifo.statistics(),
    };
  }

  /** Removes every port, ends the recordings and closes the devices. */
  async close(): Promise<void> {
    this.closed = true;
    for (const recording of [...this.recordings]) recording.stop();
    for (const name of [...this.ports.keys()]) this.removePort(name);
    this.active = false;
    this.timer.stop();
    await Promise.all([this.input.update(false, this.inputId), this.output.update(false, this.outputId)]);
  }

  /** Opens the real devices while any port's virtual device runs, closes them when none does. */
  private updateActivity(): void {
    const active = !this.closed && [...this.ports.values()].some((p) => p.kind === 'stream' && p.driver.active);
    if (active === this.active) return;
    this.active = active;
    if (active) {
      this.fifo.reset();
      this.runTimer();
    } else {
      this.timer.stop();
    }
    void this.input.update(active, this.inputId);
    void this.output.update(active, this.outputId);
  }

  private runTimer(): void {
    if (!this.active || this.timer.running) return;
    this.timerFrame = undefined;
    this.timer.start(() => {
      this.timerFrame = { speaker: this.tick(), at: this.now() };
    });
  }

  private onMicrophoneFrame(source: AudioSource, frame: Int16Array): void {
    if (source !== this.input.device) return;
    this.fifo.push(fitFrame(frame, this.frameSamples));
  }

  private onSpeakerPull(sink: AudioSink): Int16Array {
    // A speaker being replaced may pull once more; only the one in use drives the bridge.
    if (sink !== this.output.device || !this.active) return new Int16Array(this.frameSamples);
    if (this.timer.running) {
      // The device clock is back: the stand-in timer stops at its first pull, not at open, so no
      // frame is missed. A pull within half a frame of the timer's tick plays that tick's frame
      // rather than ticking twice at once (the ports would get a frame too many).
      this.timer.stop();
      const made = this.timerFrame;
      this.timerFrame = undefined;
      if (made !== undefined && this.now() - made.at < this.format.frameMs / 2) return made.speaker;
    }
    return this.tick();
  }

  /** One frame for everyone; returns the speaker's. */
  private tick(): Int16Array {
    this.ticks++;
    const n = this.frameSamples;
    // Arrays and maps of the last routing, not made afresh each tick: this runs 50 times a second.
    const ports = (this.portList ??= [...this.ports.values()]);
    const said = this.said;
    said.clear();
    for (let i = 0; i < ports.length; i++) {
      const port = ports[i]!;
      let frame: Int16Array | undefined;
      try {
        frame = port.kind === 'player' ? port.source.pull(n) : port.driver.received();
      } catch (error) {
        this.report(error);
      }
      if (frame !== undefined) said.set(port.name, fitFrame(frame, n));
    }
    const mixed = this.mix(DEVICE_PORT, said);
    let speaker = mixed;
    const hooks = this.options.hooks;
    if (hooks?.speaker !== undefined) {
      try {
        speaker = hooks.speaker(mixed);
      } catch (error) {
        this.report(error);
      }
    }
    let microphone = this.fifo.pop();
    if (hooks?.microphone !== undefined) {
      try {
        microphone = hooks.microphone(microphone);
      } catch (error) {
        this.report(error);
      }
    }
    said.set(DEVICE_PORT, fitFrame(microphone, n));
    for (let i = 0; i < ports.length; i++) {
      const port = ports[i]!;
      if (port.kind !== 'stream' || !this.ports.has(port.name)) continue;
      const sent = this.mix(port.name, said);
      try {
        port.driver.send(sent);
      } catch (error) {
        this.report(error);
      }
      if (this.recordings.size === 0) continue;
      for (const recording of this.recordings) {
        if (recording.port !== port.name) continue;
        try {
          recording.write(sent, said.get(port.name) ?? new Int16Array(n));
        } catch (error) {
          recording.stop();
          this.report(error);
        }
      }
    }
    return fitFrame(speaker, n);
  }

  /**
   * What `listener` hears this tick, each talker faded in or out over the frame as routing changed.
   * Once every talker is in at full gain (the routing unchanged since), one talker's frame is the
   * mix itself and is passed on as it is.
   */
  private mix(listener: string, said: ReadonlyMap<string, Int16Array>): Int16Array {
    let route = this.routes.get(listener);
    if (route === undefined) {
      route = { talkers: this.talkersOf(listener), settled: false };
      this.routes.set(listener, route);
    }
    const talkers = route.talkers;
    if (route.settled) {
      if (talkers.size === 0) return new Int16Array(this.frameSamples);
      if (talkers.size === 1) {
        for (const talker of talkers) return said.get(talker) ?? new Int16Array(this.frameSamples);
      }
    }
    const acc = this.accumulator;
    acc.fill(0);
    let gains = this.gains.get(listener);
    if (gains === undefined) {
      gains = new Map();
      this.gains.set(listener, gains);
    }
    for (const talker of talkers) if (!gains.has(talker)) gains.set(talker, 0);
    let ramped = false;
    for (const [talker, from] of gains) {
      const to = talkers.has(talker) ? 1 : 0;
      const frame = said.get(talker);
      if (frame !== undefined) addRamped(acc, frame, from, to);
      if (from !== to) ramped = true;
      if (to === 0) gains.delete(talker);
      else gains.set(talker, to);
    }
    // No fade this tick: every talker is in at full gain, and stays so until the routing changes.
    if (!ramped) route.settled = true;
    return saturate(acc);
  }

  /** Ports, connections, mute or hold changed: the routes are worked out again at the next tick. */
  private routingChanged(): void {
    this.routes.clear();
    this.portList = undefined;
  }

  /** A piece of the tick threw: reported, and the tick goes on. */
  private report(error: unknown): void {
    this.options.delegate?.onError?.(error instanceof Error ? error : new Error(String(error)));
  }

  /** Whom `listener` should hear now. */
  private talkersOf(listener: string): Set<string> {
    const links = this.links.get(listener) ?? new Set<string>();
    if (listener === DEVICE_PORT) {
      return new Set([...links].filter((name) => this.heard(name)));
    }
    const port = this.ports.get(listener);
    if (port === undefined || port.kind === 'player') return new Set();
    if (port.held !== undefined) return new Set(port.held === null ? [] : [port.held]);
    return new Set([...links].filter((name) => (name === DEVICE_PORT ? !port.muted : this.heard(name))));
  }

  /** Whether others hear `name` (a held call is heard by no one). */
  private heard(name: string): boolean {
    const port = this.ports.get(name);
    return port !== undefined && (port.kind === 'player' || port.held === undefined);
  }

  private port(name: string): Port {
    const port = this.ports.get(name);
    if (port === undefined) throw new AudioBridgeError('unknown_port', `no port ${name}`);
    return port;
  }

  private streamPort(name: string): StreamPort {
    const port = this.port(name);
    if (port.kind !== 'stream') throw new AudioBridgeError('unknown_port', `${name} is a player, not a call's port`);
    return port;
  }

  private linksOf(name: string): Set<string> {
    const links = this.links.get(name);
    if (links === undefined) throw new AudioBridgeError('unknown_port', `no port ${name}`);
    return links;
  }

  private checkNewName(name: string): void {
    if (this.closed) throw new AudioBridgeError('closed', 'the bridge is closed');
    if (name === DEVICE_PORT || this.ports.has(name)) throw new AudioBridgeError('port_exists', `port ${name} exists`);
  }
}

