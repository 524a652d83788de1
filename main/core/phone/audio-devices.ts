/**
 * The user's sound devices: which microphone, speaker and ringer to use (kept in the settings),
 * the volumes, the level meters, and hot-plug. The driver's device list is read at start and,
 * where the driver can re-enumerate (PortAudio), every few seconds; a chosen device that is
 * gone is replaced by the system default for as long as it is away — the choice itself is kept
 * for when it comes back — and the UI is told (`audio.devices` with a `fallback` note).
 */
import { PhoneError } from '../../../shared/errors.js';
import type { AudioDevices, AudioDeviceView, AudioFallback, AudioRole, AudioSelection } from '../../../shared/model.js';
import { diffDevices, type AudioDevice, type AudioDriver } from '../audio/index.js';
import type { EventHub } from '../events.js';
import type { Logger } from '../log.js';
import type { DeviceAudioHooks } from '../media/stream/index.js';
import type { SettingsChanges, SettingsStore } from '../store/settings-store.js';
import { applyVolume, LevelMeter } from './audio-levels.js';

/** A driver whose device list can change while the phone runs (NaudiodonDriver). */
export interface RefreshableDriver extends AudioDriver {
  /** Whether `refreshDevices()` can re-read the system's devices now. */
  readonly canRefresh: boolean;
  refreshDevices(): Promise<AudioDevice[] | undefined>;
}

export function isRefreshable(driver: AudioDriver): driver is RefreshableDriver {
  const candidate = driver as Partial<RefreshableDriver>;
  return typeof candidate.refreshDevices === 'function' && typeof candidate.canRefresh === 'boolean';
}

/** The devices calls and the ringer should open now (undefined: the system default). */
export interface DeviceChoice {
  readonly microphone: string | undefined;
  readonly speaker: string | undefined;
  readonly ringer: string | undefined;
  /** Volume and meters, for each stream's device frames. */
  hooks(): DeviceAudioHooks;
}

export interface AudioDeviceManagerOptions {
  readonly driver: AudioDriver;
  readonly settings: SettingsStore;
  readonly events: EventHub;
  readonly log: Logger;
  /** Hot-plug re-enumeration period (default 3000 ms; 0: never). */
  readonly refreshIntervalMs?: number;
  /** Level meter period (default 100 ms). */
  readonly levelIntervalMs?: number;
}

const roleKey = { microphone: 'audio.microphone', speaker: 'audio.speaker', ringer: 'audio.ringer' } as const;
const roleNoun: Record<AudioRole, string> = { microphone: 'microphone', speaker: 'speaker', ringer: 'ringer' };
const roles: readonly AudioRole[] = ['microphone', 'speaker', 'ringer'];

export class AudioDeviceManager implements DeviceChoice {
  private devices: AudioDevice[] = [];
  private available = false;
  /** Names of devices seen since start, to name one that has gone. */
  private readonly names = new Map<string, string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private refreshing = false;
  private readonly meter: LevelMeter;
  /** Whether the audio test call runs (told by its owner, shown in the view). */
  private testRunning = false;

  constructor(private readonly options: AudioDeviceManagerOptions) {
    this.meter = new LevelMeter({
      publish: (level) => options.events.emit('audio.level', level),
      ...(options.levelIntervalMs === undefined ? {} : { intervalMs: options.levelIntervalMs }),
    });
  }

  /** Reads the device list and starts watching for hot-plug where the driver allows it. */
  async start(): Promise<void> {
    await this.load();
    const interval = this.options.refreshIntervalMs ?? 3000;
    if (interval > 0 && isRefreshable(this.options.driver)) {
      this.timer = setInterval(() => void this.refresh(), interval);
      this.timer.unref?.();
    }
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.meter.stop();
  }

  view(): AudioDevices {
    const settings = this.options.settings.all();
    const selection: AudioSelection = {};
    const inUse: AudioSelection = {};
    const fallback: AudioFallback[] = [];
    for (const role of roles) {
      const chosen = settings[roleKey[role]];
      if (chosen === undefined) continue;
      selection[role] = chosen;
      if (this.has(role, chosen)) inUse[role] = chosen;
      else {
        const name = this.names.get(chosen) ?? chosen;
        fallback.push({ role, deviceId: chosen, note: `${name} is not connected: the system default ${roleNoun[role]} is used until it is back`.slice(0, 600) });
      }
    }
    return {
      available: this.available,
      inputs: this.devices.filter((d) => d.inputChannels > 0).map((d) => deviceView(d, d.defaultInput)),
      outputs: this.devices.filter((d) => d.outputChannels > 0).map((d) => deviceView(d, d.defaultOutput)),
      selection,
      inUse,
      fallback,
      volume: { microphone: settings['audio.microphoneVolume'], speaker: settings['audio.speakerVolume'] },
      testRunning: this.testRunning,
    };
  }

  /** Chooses devices; `null` is the system default. An id the driver does not list is refused. */
  select(choice: { [R in AudioRole]?: string | null | undefined }): AudioDevices {
    const changes: SettingsChanges = {};
    for (const role of roles) {
      const id = choice[role];
      if (id === undefined) continue;
      if (id !== null && !this.has(role, id)) {
        throw new PhoneError('not_found', `there is no ${roleNoun[role]} ${JSON.stringify(id).slice(0, 200)} (unplugged?)`, role);
      }
      changes[roleKey[role]] = id ?? undefined;
    }
    this.options.settings.set(changes);
    return this.changed();
  }

  setVolume(volume: { microphone?: number | undefined; speaker?: number | undefined }): AudioDevices {
    this.options.settings.set({
      ...(volume.microphone === undefined ? {} : { 'audio.microphoneVolume': volume.microphone }),
      ...(volume.speaker === undefined ? {} : { 'audio.speakerVolume': volume.speaker }),
    });
    return this.changed();
  }

  setTestRunning(running: boolean): void {
    if (running === this.testRunning) return;
    this.testRunning = running;
    this.changed();
  }

  get microphone(): string | undefined {
    return this.inUse('microphone');
  }

  get speaker(): string | undefined {
    return this.inUse('speaker');
  }

  /** The ringer's device, for the ringing feature (undefined: the system default output). */
  get ringer(): string | undefined {
    return this.inUse('ringer');
  }

  hooks(): DeviceAudioHooks {
    const settings = this.options.settings;
    return {
      microphone: (frame) => {
        const out = applyVolume(frame, settings.get('audio.microphoneVolume'));
        this.meter.microphone(out);
        return out;
      },
      speaker: (frame) => {
        const out = applyVolume(frame, settings.get('audio.speakerVolume'));
        this.meter.speaker(out);
        return out;
      },
    };
  }

  /**
   * Re-reads the device list (the hot-plug timer calls this) and tells the UI when it changed.
   * Skipped while the driver cannot re-enumerate (PortAudio with a stream open).
   */
  async refresh(): Promise<void> {
    const driver = this.options.driver;
    if (this.refreshing || !isRefreshable(driver) || !driver.canRefresh) return;
    this.refreshing = true;
    try {
      const list = await driver.refreshDevices();
      if (list === undefined) return;
      const changes = diffDevices(this.devices, list);
      if (changes.added.length + changes.removed.length + changes.changed.length === 0 && this.available) return;
      this.setDevices(list);
      for (const device of changes.added) this.options.log.info('audio device connected', { id: device.id });
      for (const device of changes.removed) this.options.log.info('audio device disconnected', { id: device.id });
      this.changed();
    } catch (error) {
      this.options.log.warn('audio devices could not be re-read', { error: String(error) });
    } finally {
      this.refreshing = false;
    }
  }

  private async load(): Promise<void> {
    try {
      this.setDevices(await this.options.driver.listDevices());
    } catch (error) {
      // No sound system (PortAudio missing, no server): calls still work with the defaults.
      this.options.log.warn('audio devices could not be listed', { driver: this.options.driver.name, error: String(error) });
      this.available = false;
    }
  }

  private setDevices(list: AudioDevice[]): void {
    this.devices = list;
    this.available = true;
    for (const device of list) this.names.set(device.id, device.name);
  }

  private changed(): AudioDevices {
    const view = this.view();
    this.options.events.emit('audio.devices', view);
    return view;
  }

  private inUse(role: AudioRole): string | undefined {
    const chosen = this.options.settings.get(roleKey[role]);
    return chosen !== undefined && this.has(role, chosen) ? chosen : undefined;
  }

  private has(role: AudioRole, id: string): boolean {
    return this.devices.some((d) => d.id === id && (role === 'microphone' ? d.inputChannels > 0 : d.outputChannels > 0));
  }
}

function deviceView(device: AudioDevice, isDefault: boolean): AudioDeviceView {
  return { id: device.id.slice(0, 512), name: device.name.slice(0, 256), hostApi: device.hostApi.slice(0, 64), isDefault };
}
