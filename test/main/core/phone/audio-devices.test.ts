/**
 * The device manager with a fake driver whose device list changes: choices refused when the
 * device is not there, kept across restarts, and a fallback to the system default while a
 * chosen device is unplugged.
 */
import { describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../../shared/contract.js';
import { NullDriver, WavFileDriver, type AudioDevice, type AudioFormat, type AudioSink, type AudioSource } from '../../../../main/core/audio/index.js';
import { EventHub } from '../../../../main/core/events.js';
import { silentLogger } from '../../../../main/core/log.js';
import { AudioDeviceManager, isRefreshable, type RefreshableDriver } from '../../../../main/core/phone/audio-devices.js';
import { openDatabase, type Db } from '../../../../main/core/store/database.js';
import { SettingsStore } from '../../../../main/core/store/settings-store.js';
import { testCore } from '../../../helpers/core.js';
import { tempDir } from '../../../helpers/temp-dir.js';

function device(id: string, kind: 'in' | 'out', isDefault = false): AudioDevice {
  return {
    id,
    name: id.split(':')[1] ?? id,
    hostApi: 'ALSA',
    inputChannels: kind === 'in' ? 1 : 0,
    outputChannels: kind === 'out' ? 2 : 0,
    defaultInput: kind === 'in' && isDefault,
    defaultOutput: kind === 'out' && isDefault,
    defaultSampleRate: 48000,
  };
}

const builtInMic = device('ALSA:Built-in Mic:0', 'in', true);
const builtInSpeaker = device('ALSA:Built-in Speaker:0', 'out', true);
const headsetMic = device('ALSA:USB Headset:0', 'in');
const headsetSpeaker = device('ALSA:USB Headset:1', 'out');

class FakeDriver implements RefreshableDriver {
  readonly name = 'fake';
  canRefresh = true;
  refreshes = 0;
  constructor(public devices: AudioDevice[]) {}
  async listDevices(): Promise<AudioDevice[]> {
    return this.devices;
  }
  async refreshDevices(): Promise<AudioDevice[] | undefined> {
    this.refreshes++;
    return this.canRefresh ? [...this.devices] : undefined;
  }
  openSource(_id: string | undefined, _format: AudioFormat): Promise<AudioSource> {
    throw new Error('not used');
  }
  openSink(_id: string | undefined, _format: AudioFormat): Promise<AudioSink> {
    throw new Error('not used');
  }
}

interface Rig {
  manager: AudioDeviceManager;
  events: { name: EventName; payload: unknown }[];
  db: Db;
}

async function rig(driver: FakeDriver | NullDriver, dir = tempDir(), refreshIntervalMs = 0): Promise<Rig> {
  const db = openDatabase(dir);
  const hub = new EventHub(silentLogger);
  const events: Rig['events'] = [];
  hub.subscribe((name, payload) => events.push({ name, payload }));
  const manager = new AudioDeviceManager({ driver, settings: new SettingsStore(db), events: hub, log: silentLogger, refreshIntervalMs });
  await manager.start();
  return { manager, events, db };
}

function lastDevicesEvent(events: Rig['events']): EventPayload<'audio.devices'> | undefined {
  return events.filter((e) => e.name === 'audio.devices').at(-1)?.payload as EventPayload<'audio.devices'> | undefined;
}

describe('audio devices', () => {
  it('lists inputs and outputs with the system defaults marked', async () => {
    const { manager, db } = await rig(new FakeDriver([builtInMic, builtInSpeaker, headsetMic, headsetSpeaker]));
    const view = manager.view();
    expect(view.available).toBe(true);
    expect(view.inputs).toEqual([
      { id: builtInMic.id, name: 'Built-in Mic', hostApi: 'ALSA', isDefault: true },
      { id: headsetMic.id, name: 'USB Headset', hostApi: 'ALSA', isDefault: false },
    ]);
    expect(view.outputs.map((d) => d.id)).toEqual([builtInSpeaker.id, headsetSpeaker.id]);
    expect(view).toMatchObject({ selection: {}, inUse: {}, fallback: [], volume: { microphone: 100, speaker: 100 }, testRunning: false });
    manager.close();
    db.close();
  });

  it('keeps a selection across restarts and resets it with null', async () => {
    const dir = tempDir();
    const driver = new FakeDriver([builtInMic, builtInSpeaker, headsetMic, headsetSpeaker]);
    const first = await rig(driver, dir);
    const view = first.manager.select({ microphone: headsetMic.id, speaker: headsetSpeaker.id, ringer: builtInSpeaker.id });
    expect(view.selection).toEqual({ microphone: headsetMic.id, speaker: headsetSpeaker.id, ringer: builtInSpeaker.id });
    expect(lastDevicesEvent(first.events)).toEqual(view);
    first.manager.close();
    first.db.close();

    const second = await rig(driver, dir);
    expect(second.manager.microphone).toBe(headsetMic.id);
    expect(second.manager.speaker).toBe(headsetSpeaker.id);
    expect(second.manager.ringer).toBe(builtInSpeaker.id);
    expect(second.manager.select({ speaker: null }).selection).toEqual({ microphone: headsetMic.id, ringer: builtInSpeaker.id });
    expect(second.manager.speaker).toBeUndefined();
    second.manager.close();
    second.db.close();
  });

  it('refuses a device that is not listed, or not of the right kind, saying which role', async () => {
    const { manager, db } = await rig(new FakeDriver([builtInMic, builtInSpeaker]));
    expect(() => manager.select({ microphone: 'ALSA:Nothing:0' })).toThrowError(expect.objectContaining({ code: 'not_found', field: 'microphone', message: expect.stringMatching(/no microphone "ALSA:Nothing:0"/) }));
    expect(() => manager.select({ speaker: builtInMic.id })).toThrowError(expect.objectContaining({ field: 'speaker' }));
    expect(() => manager.select({ ringer: builtInMic.id })).toThrowError(expect.objectContaining({ field: 'ringer' }));
    // Nothing of a refused request is kept.
    expect(() => manager.select({ microphone: builtInMic.id, speaker: 'gone' })).toThrow();
    expect(manager.view().selection).toEqual({});
    manager.close();
    db.close();
  });

  it('falls back to the system default while a chosen device is unplugged, and keeps the choice', async () => {
    const driver = new FakeDriver([builtInMic, builtInSpeaker, headsetMic, headsetSpeaker]);
    const { manager, events, db } = await rig(driver);
    manager.select({ microphone: headsetMic.id, speaker: headsetSpeaker.id });
    events.length = 0;

    await manager.refresh();
    expect(events).toEqual([]); // nothing changed, nothing said

    driver.devices = [builtInMic, builtInSpeaker];
    await manager.refresh();
    const unplugged = lastDevicesEvent(events)!;
    expect(unplugged.selection).toEqual({ microphone: headsetMic.id, speaker: headsetSpeaker.id });
    expect(unplugged.inUse).toEqual({});
    expect(unplugged.fallback).toEqual([
      { role: 'microphone', deviceId: headsetMic.id, note: 'USB Headset is not connected: the system default microphone is used until it is back' },
      { role: 'speaker', deviceId: headsetSpeaker.id, note: expect.stringContaining('system default speaker') },
    ]);
    expect(manager.microphone).toBeUndefined();
    expect(manager.speaker).toBeUndefined();
    // Persisted nothing: the stored choice is the user's.
    expect(db.prepare("SELECT value FROM settings WHERE key = 'audio.microphone'").get()).toEqual({ value: JSON.stringify(headsetMic.id) });

    driver.devices = [builtInMic, builtInSpeaker, headsetMic, headsetSpeaker];
    await manager.refresh();
    expect(lastDevicesEvent(events)).toMatchObject({ inUse: { microphone: headsetMic.id, speaker: headsetSpeaker.id }, fallback: [] });
    expect(manager.microphone).toBe(headsetMic.id);
    manager.close();
    db.close();
  });

  it('re-reads the devices on a timer, only when the driver can', async () => {
    const driver = new FakeDriver([builtInMic, builtInSpeaker]);
    driver.canRefresh = false;
    const { manager, events, db } = await rig(driver, tempDir(), 20);
    driver.devices = [builtInMic, builtInSpeaker, headsetMic];
    await new Promise((resolve) => setTimeout(resolve, 70));
    expect(events).toEqual([]);
    driver.canRefresh = true;
    await expect.poll(() => lastDevicesEvent(events)?.inputs.length, { timeout: 1000 }).toBe(2);
    manager.close();
    db.close();
  });

  it('does not poll drivers whose devices never change', async () => {
    expect(isRefreshable(new NullDriver())).toBe(false);
    expect(isRefreshable(new WavFileDriver({}))).toBe(false);
    const { manager, db } = await rig(new NullDriver(), tempDir(), 10);
    expect(manager.view().inputs).toEqual([{ id: 'null:in', name: 'silence', hostApi: 'null', isDefault: true }]);
    manager.close();
    db.close();
  });

  it('says the sound system is unavailable when the driver cannot list devices', async () => {
    const driver = new FakeDriver([]);
    driver.listDevices = () => Promise.reject(new Error('PortAudio is not installed'));
    const { manager, db } = await rig(driver);
    expect(manager.view()).toMatchObject({ available: false, inputs: [], outputs: [] });
    expect(manager.select({ microphone: null }).selection).toEqual({});
    manager.close();
    db.close();
  });

  it('stores volumes and refuses ones out of range', async () => {
    const { manager, db } = await rig(new FakeDriver([builtInMic, builtInSpeaker]));
    expect(manager.setVolume({ microphone: 50 }).volume).toEqual({ microphone: 50, speaker: 100 });
    expect(() => manager.setVolume({ speaker: 250 })).toThrowError(expect.objectContaining({ code: 'invalid_params', field: 'audio.speakerVolume' }));
    manager.close();
    db.close();
  });

  it('answers through the contract, refusals with their reason and field', async () => {
    const { bridge } = await testCore();
    expect(await bridge.invoke('audio.devices', {})).toMatchObject({ ok: true, result: { available: true, inputs: [{ id: 'null:in' }], outputs: [{ id: 'null:out' }] } });
    expect(await bridge.invoke('audio.select', { microphone: 'ALSA:Gone:0' })).toEqual({ ok: false, error: { code: 'not_found', field: 'microphone', message: expect.stringContaining('no microphone') } });
    expect(await bridge.invoke('audio.volume', { speaker: 250 })).toEqual({ ok: false, error: { code: 'invalid_params', field: 'speaker', message: expect.stringContaining('200') } });
    expect(await bridge.invoke('audio.select', { ringer: 'null:out', speaker: null })).toMatchObject({ ok: true, result: { selection: { ringer: 'null:out' } } });
  });
});
