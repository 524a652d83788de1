import { describe, expect, it } from 'vitest';
import { AudioDeviceError } from '../../../../../main/core/audio/audio-driver.js';
import { BridgePortDriver } from '../../../../../main/core/audio/bridge/bridge-port-driver.js';
import { polyphaseResampler } from '../../../../../main/core/audio/resampler/index.js';
import { joined, level, ToneFrames } from './signal.js';

const bridgeFormat = { sampleRate: 48000, channels: 1, frameMs: 20 };

function portDriver() {
  let activity = 0;
  const driver = new BridgePortDriver({ port: 'alice', format: bridgeFormat, resampler: polyphaseResampler, onActivity: () => activity++ });
  return { driver, activity: () => activity };
}

describe('BridgePortDriver', () => {
  it('at the bridge format, passes frames straight through both ways', async () => {
    const { driver, activity } = portDriver();
    const source = await driver.openSource(undefined, bridgeFormat);
    const sink = await driver.openSink(undefined, bridgeFormat);
    expect(driver.active).toBe(false);
    const got: Int16Array[] = [];
    source.start((f) => got.push(f));
    const frame = new Int16Array(960).fill(5);
    sink.start(() => frame);
    expect(driver.active).toBe(true);
    expect(activity()).toBe(2);
    const sent = new Int16Array(960).fill(7);
    driver.send(sent);
    expect(got).toEqual([sent]);
    expect(driver.received()).toBe(frame);
    await source.stop();
    await sink.stop();
    expect(driver.active).toBe(false);
    expect(driver.received()).toBeUndefined();
  });

  it('converts an 8 kHz stream with 40 ms frames: one frame every second tick, the tone kept both ways', async () => {
    const { driver } = portDriver();
    const format = { sampleRate: 8000, channels: 1, frameMs: 40 };
    const source = await driver.openSource(undefined, format);
    const sink = await driver.openSink(undefined, format);
    const got: Int16Array[] = [];
    source.start((f) => got.push(f));
    const peer = new ToneFrames(700, 8000, 320);
    let pulls = 0;
    sink.start(() => (pulls++, peer.next()));
    const toBridge = new ToneFrames(400, 48000, 960);
    const received: Int16Array[] = [];
    for (let tick = 0; tick < 50; tick++) {
      driver.send(toBridge.next());
      received.push(driver.received()!);
    }
    expect(got.length).toBe(25);
    expect(got.every((f) => f.length === 320)).toBe(true);
    expect(pulls).toBe(25);
    expect(received.every((f) => f.length === 960)).toBe(true);
    expect(level(joined(got.slice(5)), 8000, 400)).toBeGreaterThan(7000);
    expect(level(joined(received.slice(10)), 48000, 700)).toBeGreaterThan(7000);
  });

  it('refuses a stereo stream and a second microphone while the first runs', async () => {
    const { driver } = portDriver();
    await expect(driver.openSource(undefined, { ...bridgeFormat, channels: 2 })).rejects.toMatchObject({ code: 'unsupported_format' });
    const source = await driver.openSource(undefined, bridgeFormat);
    source.start(() => {});
    await expect(driver.openSource(undefined, bridgeFormat)).rejects.toBeInstanceOf(AudioDeviceError);
    await source.stop();
    await expect(driver.openSource(undefined, bridgeFormat)).resolves.toBeDefined();
  });

  it('goes quiet once its port is detached', async () => {
    const { driver } = portDriver();
    const source = await driver.openSource(undefined, bridgeFormat);
    const got: Int16Array[] = [];
    source.start((f) => got.push(f));
    driver.detach();
    driver.send(new Int16Array(960));
    source.start((f) => got.push(f));
    driver.send(new Int16Array(960));
    expect(got).toEqual([]);
    expect((await driver.listDevices()).map((d) => d.id)).toEqual(['bridge:alice:in', 'bridge:alice:out']);
  });
});
