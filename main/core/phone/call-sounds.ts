/**
 * What the phone plays that is not the other party: ringback while the far end rings, the
 * ring of an incoming call on the ringer device (a ringtone asset or a distinctive cadence
 * chosen from Alert-Info), and a short busy tone when a call is refused as busy.
 */
import type { AudioDriver, AudioFormat, AudioSink, WavAudio } from '../audio/index.js';
import {
  callProgressTone,
  chooseRingtone,
  listRingtoneAssets,
  loadRingtoneAsset,
  Ringtone,
  sinkPuller,
  ToneGenerator,
  type PcmPullSource,
  type ToneRegionCode,
} from '../audio/tones/index.js';
import type { Logger } from '../log.js';
import type { RingtoneName } from '../../../shared/model.js';
import { renderRingtones } from '../audio/tones/render-ringtones.js';

const format: AudioFormat = { sampleRate: 16000, channels: 1, frameMs: 20 };
/** Long enough for the 5 ms fade-out of a stopped tone to reach the device. */
const fadeMs = 30;

/** A sound being played; `stop()` fades it out and releases the device. */
export interface Sound {
  stop(): Promise<void>;
}

export interface CallSoundsOptions {
  readonly region: ToneRegionCode;
  /** Folder of ringtone WAVs (assets/ringtones); without it, rings are tone cadences. */
  readonly ringtonesDir?: string;
  /** The user's ringtone, read at each ring (absent: the first asset). */
  readonly ringtone?: () => RingtoneName;
}

/** How long a ringtone preview plays. */
export const PREVIEW_MS = 4000;

export class CallSounds {
  private previewing: Sound | undefined;

  constructor(
    private readonly driver: AudioDriver,
    private readonly options: CallSoundsOptions,
    private readonly log: Logger,
  ) {}

  /** Ringback (ITU-T E.180) until stopped. */
  ringback(deviceId: string | undefined): Promise<Sound | undefined> {
    return this.play(deviceId, new ToneGenerator(callProgressTone(this.options.region, 'ringback'), { sampleRate: format.sampleRate }));
  }

  /** The call-waiting beep (E.180) on the speaker of the call in progress, until stopped. */
  callWaiting(deviceId: string | undefined): Promise<Sound | undefined> {
    return this.play(deviceId, new ToneGenerator(callProgressTone(this.options.region, 'callWaiting'), { sampleRate: format.sampleRate }));
  }

  /** A busy tone for a few seconds (E.180 busy), then silence. */
  async busy(deviceId: string | undefined, seconds = 3): Promise<void> {
    const sound = await this.play(deviceId, new ToneGenerator(callProgressTone(this.options.region, 'busy'), { sampleRate: format.sampleRate }));
    if (sound !== undefined) setTimeout(() => void sound.stop(), seconds * 1000).unref();
  }

  /** The ring of an incoming call: the asset or cadence its Alert-Info names, else the user's ringtone. */
  ring(deviceId: string | undefined, alertInfo: string | undefined): Promise<Sound | undefined> {
    const assets = this.assets();
    const choice = chooseRingtone(alertInfo, assets);
    if (choice.kind === 'cadence') return this.play(deviceId, new ToneGenerator(choice.plan, { sampleRate: format.sampleRate }));
    const name = choice.kind === 'asset' ? choice.name : (this.options.ringtone?.() ?? assets[0]);
    return this.play(deviceId, this.ringtone(name, assets));
  }

  /** A ringtone for a few seconds on the ringer (Settings' preview); a preview still playing stops first. */
  async preview(deviceId: string | undefined, name: RingtoneName, ms = PREVIEW_MS): Promise<boolean> {
    await this.previewing?.stop();
    const sound = await this.play(deviceId, this.ringtone(name, this.assets()));
    this.previewing = sound;
    if (sound !== undefined) setTimeout(() => void sound.stop(), ms).unref();
    return sound !== undefined;
  }

  private assets(): string[] {
    const dir = this.options.ringtonesDir;
    try {
      return dir === undefined ? [] : listRingtoneAssets(dir);
    } catch (error) {
      this.log.warn('ringtones unreadable', { error: String(error) });
      return [];
    }
  }

  /**
   * A ringtone by name: the asset file of that name, else the built-in one rendered here (so a
   * host without the assets folder rings the same), else — and for `tone` — a ring cadence.
   */
  private ringtone(name: string | undefined, assets: readonly string[]): PcmPullSource {
    const dir = this.options.ringtonesDir;
    const audio = name === undefined ? undefined : dir !== undefined && assets.includes(name) ? loadRingtoneAsset(dir, name) : builtIn(name);
    if (audio !== undefined) return new Ringtone(audio, { sampleRate: format.sampleRate, pauseMs: 1000 });
    return new ToneGenerator(callProgressTone('us', 'ringback'), { sampleRate: format.sampleRate });
  }

  /** A sound that cannot be played (no device) is logged, never fatal to the call. */
  private async play(deviceId: string | undefined, source: PcmPullSource): Promise<Sound | undefined> {
    let sink: AudioSink;
    try {
      sink = await this.driver.openSink(deviceId, format);
      sink.start(sinkPuller(source, format), (error) => this.log.warn('call sound device failed', { error: error.message }));
    } catch (error) {
      this.log.warn('call sound not played', { error: String(error) });
      return undefined;
    }
    let stopped: Promise<void> | undefined;
    return {
      stop: () =>
        (stopped ??= (async () => {
          source.stop();
          await new Promise((resolve) => setTimeout(resolve, fadeMs));
          await sink.stop();
        })()),
    };
  }
}

let rendered: ReadonlyMap<string, WavAudio> | undefined;

/** The bundled ringtones, synthesised once on first use. */
function builtIn(name: string): WavAudio | undefined {
  rendered ??= renderRingtones();
  return rendered.get(name);
}
