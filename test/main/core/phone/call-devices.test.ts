/**
 * Devices in the middle of a call (issue "Audio devices" point 2): the user picks another
 * microphone and speaker, or the speaker is unplugged — the call goes on, on the new device or
 * the system default, and the peer keeps hearing us. Two phones on loopback, WAV-file drivers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../shared/contract.js';
import type { CallView } from '../../../../shared/model.js';
import { AudioDeviceError, encodeWav, WavFileDriver, type AudioDevice, type AudioFormat, type AudioSink, type AudioSource } from '../../../../main/core/audio/index.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';
import { tempDir } from '../../../helpers/temp-dir.js';


/** A WAV driver with two microphones and two speakers; a speaker can be "unplugged". */
class TwoDeviceDriver extends WavFileDriver {
  readonly opened: string[] = [];
  private readonly failSink = new Map<string, (error: AudioDeviceError) => void>();
  private readonly pulls = new Map<string, number>();

  override async listDevices(): Promise<AudioDevice[]> {
    const device = (id: string, input: boolean, isDefault: boolean): AudioDevice => ({
      id,
      name: id,
      hostApi: 'test',
      inputChannels: input ? 1 : 0,
      outputChannels: input ? 0 : 1,
      defaultInput: input && isDefault,
      defaultOutput: !input && isDefault,
      defaultSampleRate: 16000,
    });
    return [device('mic-a', true, true), device('mic-b', true, false), device('speaker-a', false, true), device('speaker-b', false, false)];
  }

  override openSource(deviceId: string | undefined, format: AudioFormat): Promise<AudioSource> {
    this.opened.push(`source:${deviceId ?? 'default'}`);
    return super.openSource(deviceId, format);
  }

  override async openSink(deviceId: string | undefined, format: AudioFormat): Promise<AudioSink> {
    const name = deviceId ?? 'default';
    this.opened.push(`sink:${name}`);
    const sink = await super.openSink(deviceId, format);
    return {
      format: sink.format,
      start: (pull, onError) => {
        if (onError !== undefined) this.failSink.set(name, onError);
        sink.start(() => {
          this.pulls.set(name, (this.pulls.get(name) ?? 0) + 1);
          return pull();
        }, onError);
      },
      stop: () => sink.stop(),
    };
  }

  unplug(speaker: string): void {
    this.failSink.get(speaker)?.(new AudioDeviceError('stream_failed', `${speaker} was unplugged`));
  }

  pullsOf(speaker: string): number {
    return this.pulls.get(speaker) ?? 0;
  }
}

/** A 500 Hz tone as alice's microphone. */
function toneFile(): string {
  const tone = join(tempDir(), 'tone.wav');
  writeFileSync(tone, encodeWav({ sampleRate: 16000, channels: 1, samples: Int16Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 500 * i) / 16000))) }));
  return tone;
}

async function callBetween(aliceDriver: TwoDeviceDriver) {
  const alice = await testCore({ audio: { driver: aliceDriver, deviceSampleRate: 16000 } });
  const bob = await testCore({ audio: { driver: new WavFileDriver({}) } });
  await bob.core.handlers['accounts.add'](accountFields({ user: 'bob', domain: `127.0.0.1:${udpPort(alice.core)}`, register: false, srtp: 'off' }));
  await alice.core.handlers['accounts.add'](accountFields({ user: 'alice', domain: `127.0.0.1:${udpPort(bob.core)}`, register: false, srtp: 'off' }));
  const heard: number[] = [];
  let incoming: CallView | undefined;
  const aliceEvents: CallView[] = [];
  bob.core.subscribe((name, payload) => {
    if (name === 'audio.level') heard.push((payload as EventPayload<'audio.level'>).output);
    if (name === 'call.incoming') incoming = payload as CallView;
  });
  alice.core.subscribe((name, payload) => {
    if (name === 'call.state') aliceEvents.push(payload as CallView);
  });
  await alice.core.handlers['audio.select']({ microphone: 'mic-a', speaker: 'speaker-a' });
  const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
  await expect.poll(() => incoming, { timeout: 5000 }).toBeDefined();
  await bob.core.handlers['calls.answer']({ callId: incoming!.id });
  await expect.poll(() => aliceDriver.opened, { timeout: 5000 }).toEqual(expect.arrayContaining(['source:mic-a', 'sink:speaker-a']));
  await expect.poll(() => heard.at(-1) ?? -100, { timeout: 3000 }).toBeGreaterThan(-25);
  return { alice, bob, call, heard, aliceEvents };
}

describe('devices mid-call', () => {
  it('choosing another microphone and speaker moves the call to them without ending it', async () => {
    const driver = new TwoDeviceDriver({ input: toneFile() });
    const { alice, call, heard, aliceEvents } = await callBetween(driver);
    await alice.core.handlers['audio.select']({ microphone: 'mic-b', speaker: 'speaker-b' });
    await expect.poll(() => driver.opened, { timeout: 3000 }).toEqual(expect.arrayContaining(['source:mic-b', 'sink:speaker-b']));
    const before = driver.pullsOf('speaker-b');
    await expect.poll(() => driver.pullsOf('speaker-b'), { timeout: 3000 }).toBeGreaterThan(before + 10);
    heard.length = 0;
    await expect.poll(() => heard.at(-1) ?? -100, { timeout: 3000 }).toBeGreaterThan(-25);
    expect(aliceEvents.filter((v) => v.id === call.id).at(-1)!.state).toBe('established');
    expect((await alice.core.handlers['calls.list']({}))[0]).toMatchObject({ id: call.id, state: 'established' });
    await alice.core.handlers['calls.hangup']({ callId: call.id });
  });

  it('an unplugged speaker falls back to the system default; the call and the peer\'s audio go on', async () => {
    const driver = new TwoDeviceDriver({ input: toneFile() });
    const { alice, call, heard } = await callBetween(driver);
    driver.unplug('speaker-a');
    await expect.poll(() => driver.opened, { timeout: 3000 }).toContain('sink:default');
    await expect.poll(() => driver.pullsOf('default'), { timeout: 3000 }).toBeGreaterThan(10);
    heard.length = 0;
    await expect.poll(() => heard.at(-1) ?? -100, { timeout: 3000 }).toBeGreaterThan(-25);
    expect((await alice.core.handlers['calls.list']({}))[0]).toMatchObject({ id: call.id, state: 'established' });
    await alice.core.handlers['calls.hangup']({ callId: call.id });
  });
});
