import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { samplesPerFrame, type AudioDeviceError, type AudioFormat } from '../../../../../main/core/audio/audio-driver.js';
import { AudioBridge, AudioBridgeError, DEVICE_PORT, LoopedPcmSource, type AudioBridgeOptions } from '../../../../../main/core/audio/bridge/index.js';
import { encodeWav, parseWav } from '../../../../../main/core/audio/wav.js';
import { WavFileDriver } from '../../../../../main/core/audio/wav-file-driver.js';
import { codecs, describeCodec } from '../../../../../main/core/media/codecs/index.js';
import { allocateRtpPort } from '../../../../../main/core/media/rtp-port.js';
import type { NegotiatedAudio } from '../../../../../main/core/media/sdp/index.js';
import { MediaStream } from '../../../../../main/core/media/stream/index.js';
import { tempDir } from '../../../../helpers/temp-dir.js';
import { DEFAULT, FakeAudioDriver, settle } from './fake-audio-driver.js';
import { joined, level, ToneFrames } from './signal.js';

const RATE = 16000;
const N = 320;
const MIC_HZ = 300;
const PRESENT = 4000;
const ABSENT = 100;

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

interface Fallback {
  readonly kind: string;
  readonly failedId: string;
  readonly code: string;
}

function bridgeOn(driver: FakeAudioDriver, options: Partial<AudioBridgeOptions> = {}) {
  const fallbacks: Fallback[] = [];
  const deviceErrors: { kind: string; retryInMs: number | undefined }[] = [];
  const errors: Error[] = [];
  const bridge = new AudioBridge({
    driver,
    sampleRate: RATE,
    now: () => Date.now(),
    delegate: {
      onDeviceFallback: (kind, failedId, error: AudioDeviceError) => fallbacks.push({ kind, failedId, code: error.code }),
      onDeviceError: (kind, _error, retryInMs) => deviceErrors.push({ kind, retryInMs }),
      onError: (error) => errors.push(error),
    },
    ...options,
  });
  return { bridge, fallbacks, deviceErrors, errors };
}

/** A call on the bridge as its MediaStream uses the port: the peer says `hz`; what the bridge sends to the peer is kept. */
async function call(bridge: AudioBridge, name: string, hz: number, format: AudioFormat = bridge.format, amplitude = 8000) {
  const port = bridge.createPort(name);
  const source = await port.driver.openSource(undefined, format);
  const sink = await port.driver.openSink(undefined, format);
  const peer = new ToneFrames(hz, format.sampleRate, samplesPerFrame(format), amplitude);
  const sent: Int16Array[] = [];
  const sentAt: number[] = [];
  source.start((frame) => {
    sent.push(frame);
    sentAt.push(Date.now());
  });
  sink.start(() => peer.next());
  return {
    name,
    hz,
    source,
    sink,
    sent,
    sentAt,
    /** What the peer heard over the last `frames` frames. */
    heard: (frames = 10) => joined(sent.slice(-frames)),
    stop: () => Promise.all([source.stop(), sink.stop()]),
  };
}

/** The sound card runs `frames` frames: the microphone says MIC_HZ; returns what the speaker played. */
function run(driver: FakeAudioDriver, frames: number, microphone = new ToneFrames(MIC_HZ, RATE, N)): Int16Array {
  const played: Int16Array[] = [];
  for (let i = 0; i < frames; i++) {
    driver.source?.push(microphone.next());
    played.push(driver.sink!.pull());
  }
  return joined(played);
}

async function started(driver = new FakeAudioDriver(), options: Partial<AudioBridgeOptions> = {}) {
  const made = bridgeOn(driver, options);
  return { driver, ...made };
}

describe('AudioBridge: routing', () => {
  it('three-way conference: each call hears the microphone and the other two, never itself; the user hears all three', async () => {
    const { driver, bridge } = await started();
    const alice = await call(bridge, 'alice', 440);
    const bob = await call(bridge, 'bob', 1000);
    const carol = await call(bridge, 'carol', 1700);
    await settle();
    bridge.connect('alice', 'bob');
    bridge.connect('alice', 'carol');
    bridge.connect('bob', 'carol');
    const speaker = run(driver, 20);
    const parties = [alice, bob, carol];
    for (const party of parties) {
      const heard = party.heard();
      expect(level(heard, RATE, MIC_HZ), `${party.name} hears the user`).toBeGreaterThan(PRESENT);
      expect(level(heard, RATE, party.hz), `${party.name} does not hear itself`).toBeLessThan(ABSENT);
      for (const other of parties.filter((p) => p !== party)) expect(level(heard, RATE, other.hz), `${party.name} hears ${other.name}`).toBeGreaterThan(PRESENT);
    }
    const user = speaker.subarray(-10 * N);
    for (const party of parties) expect(level(user, RATE, party.hz)).toBeGreaterThan(PRESENT);
    expect(level(user, RATE, MIC_HZ), 'the user does not hear the microphone').toBeLessThan(ABSENT);
  });

  it('two separate calls: each hears only the user, the user hears both', async () => {
    const { driver, bridge } = await started();
    const alice = await call(bridge, 'alice', 440);
    const bob = await call(bridge, 'bob', 1000);
    await settle();
    const speaker = run(driver, 20).subarray(-10 * N);
    expect(level(alice.heard(), RATE, 1000)).toBeLessThan(ABSENT);
    expect(level(bob.heard(), RATE, 440)).toBeLessThan(ABSENT);
    expect(level(alice.heard(), RATE, MIC_HZ)).toBeGreaterThan(PRESENT);
    expect(level(speaker, RATE, 440)).toBeGreaterThan(PRESENT);
    expect(level(speaker, RATE, 1000)).toBeGreaterThan(PRESENT);
    expect(() => bridge.connect('alice', 'alice')).toThrow(AudioBridgeError);
    expect(() => bridge.connect('alice', 'nobody')).toThrow(AudioBridgeError);
    expect(() => bridge.createPort('alice')).toThrow(AudioBridgeError);
  });

  it('isolate a party: no one hears it and it hears nothing; removed, the others go on', async () => {
    const { driver, bridge } = await started();
    const alice = await call(bridge, 'alice', 440);
    const bob = await call(bridge, 'bob', 1000);
    const carol = await call(bridge, 'carol', 1700);
    await settle();
    bridge.connect('alice', 'bob');
    bridge.connect('alice', 'carol');
    bridge.connect('bob', 'carol');
    run(driver, 5);
    bridge.isolate('carol');
    expect(bridge.isConnected('carol', DEVICE_PORT)).toBe(false);
    const speaker = run(driver, 12).subarray(-10 * N);
    expect(level(speaker, RATE, 1700)).toBeLessThan(ABSENT);
    expect(level(alice.heard(), RATE, 1700)).toBeLessThan(ABSENT);
    expect(level(bob.heard(), RATE, 1700)).toBeLessThan(ABSENT);
    const carolHeard = carol.heard();
    for (const hz of [MIC_HZ, 440, 1000]) expect(level(carolHeard, RATE, hz)).toBeLessThan(ABSENT);
    expect(level(alice.heard(), RATE, 1000)).toBeGreaterThan(PRESENT);

    bridge.removePort('carol');
    const carolFrames = carol.sent.length;
    const after = run(driver, 12).subarray(-10 * N);
    expect(carol.sent.length).toBe(carolFrames);
    expect(level(after, RATE, 440)).toBeGreaterThan(PRESENT);
    expect(level(bob.heard(), RATE, 440)).toBeGreaterThan(PRESENT);
    expect(bridge.portNames).toEqual(['alice', 'bob']);
  });

  it('hold: the held call hears silence or music, no one hears it; unhold brings the conference back', async () => {
    const { driver, bridge } = await started();
    const alice = await call(bridge, 'alice', 440);
    const bob = await call(bridge, 'bob', 1000);
    await settle();
    bridge.connect('alice', 'bob');
    const musicHz = 2500;
    const clip = new ToneFrames(musicHz, RATE, RATE).next();
    bridge.createPlayer('music', new LoopedPcmSource({ sampleRate: RATE, channels: 1, samples: clip }, RATE));
    run(driver, 5);

    bridge.hold('bob');
    const speaker = run(driver, 12).subarray(-10 * N);
    for (const hz of [MIC_HZ, 440, 1000]) expect(level(bob.heard(), RATE, hz), `held bob does not hear ${hz} Hz`).toBeLessThan(ABSENT);
    expect(level(alice.heard(), RATE, 1000), 'no one hears held bob').toBeLessThan(ABSENT);
    expect(level(speaker, RATE, 1000)).toBeLessThan(ABSENT);
    expect(level(alice.heard(), RATE, MIC_HZ)).toBeGreaterThan(PRESENT);

    bridge.hold('bob', 'music');
    run(driver, 12);
    expect(level(bob.heard(), RATE, musicHz)).toBeGreaterThan(PRESENT);
    expect(level(bob.heard(), RATE, MIC_HZ)).toBeLessThan(ABSENT);
    expect(level(alice.heard(), RATE, musicHz), 'the music goes only to the held call').toBeLessThan(ABSENT);

    bridge.unhold('bob');
    expect(bridge.isHeld('bob')).toBe(false);
    run(driver, 12);
    expect(level(bob.heard(), RATE, MIC_HZ)).toBeGreaterThan(PRESENT);
    expect(level(bob.heard(), RATE, 440)).toBeGreaterThan(PRESENT);
    expect(level(bob.heard(), RATE, musicHz)).toBeLessThan(ABSENT);
    expect(level(alice.heard(), RATE, 1000)).toBeGreaterThan(PRESENT);
  });

  it('muting a call stops the microphone to it only', async () => {
    const { driver, bridge } = await started();
    const alice = await call(bridge, 'alice', 440);
    const bob = await call(bridge, 'bob', 1000);
    await settle();
    bridge.setMuted('alice', true);
    run(driver, 12);
    expect(level(alice.heard(), RATE, MIC_HZ)).toBeLessThan(ABSENT);
    expect(level(bob.heard(), RATE, MIC_HZ)).toBeGreaterThan(PRESENT);
  });

  it('mixes with saturation: loud talkers clamp at full scale instead of wrapping around', async () => {
    const { driver, bridge } = await started();
    await call(bridge, 'alice', 440, bridge.format, 30000);
    await call(bridge, 'bob', 440, bridge.format, 30000);
    await settle();
    const speaker = run(driver, 10).subarray(-5 * N);
    expect(Math.max(...speaker)).toBe(32767);
    expect(Math.min(...speaker)).toBe(-32768);
    // Both peers say the same tone in phase: the speaker plays exactly their sum, clamped (a wrapped sum would flip sign).
    const expected = speaker.map((_, i) => Math.max(-32768, Math.min(32767, 2 * Math.round(30000 * Math.sin((2 * Math.PI * 440 * (5 * N + i)) / RATE)))));
    expect(speaker).toEqual(expected);
  });

  it('fades a new talker in over one frame, not with a step', async () => {
    const { driver, bridge } = await started();
    const alice = await call(bridge, 'alice', 440, bridge.format, 20000);
    const bob = await call(bridge, 'bob', 1000);
    await settle();
    bridge.setMuted('bob', true);
    run(driver, 3);
    bridge.connect('alice', 'bob');
    run(driver, 2);
    const first = bob.sent.at(-2)!;
    const peak = (from: number, to: number) => Math.max(...first.subarray(from, to).map(Math.abs));
    expect(peak(0, 32)).toBeLessThan(2500);
    expect(peak(N - 40, N)).toBeGreaterThan(15000);
    expect(level(bob.sent.at(-1)!, RATE, 440)).toBeGreaterThan(15000);
    expect(alice.sent.length).toBe(5);
  });

  it('plays a lone talker sample for sample once it is faded in, and still fades it out when the routing changes', async () => {
    const { driver, bridge } = await started();
    const alice = await call(bridge, 'alice', 440, bridge.format, 20000);
    await settle();
    const speaker = run(driver, 4);
    const said = new ToneFrames(440, RATE, N, 20000);
    const expected = joined([said.next(), said.next(), said.next(), said.next()]);
    // Frame 1 fades alice in; from frame 2 on the speaker plays exactly what she said.
    expect(speaker.subarray(N)).toEqual(expected.subarray(N));
    expect(Math.max(...speaker.subarray(0, 16).map(Math.abs))).toBeLessThan(2500);
    bridge.disconnect('alice', DEVICE_PORT);
    const after = run(driver, 2);
    const peak = (frame: Int16Array, from: number, to: number) => Math.max(...frame.subarray(from, to).map(Math.abs));
    expect(peak(after, 0, 32)).toBeGreaterThan(10000);
    expect(peak(after, N - 16, N)).toBeLessThan(2500);
    expect(peak(after, N, 2 * N)).toBe(0);
    expect(alice.sent.length).toBe(6);
  });

  it('runs the device hooks once per tick: the speaker hook after the mix, then the microphone hook before it', async () => {
    const order: string[] = [];
    let reference: Int16Array | undefined;
    const { driver, bridge } = await started(new FakeAudioDriver(), {
      hooks: {
        speaker: (frame) => {
          order.push('speaker');
          reference = frame;
          return frame.map((s) => s >> 1);
        },
        microphone: (frame) => {
          order.push('microphone');
          expect(reference).toBeDefined();
          return new Int16Array(frame.length);
        },
      },
    });
    const alice = await call(bridge, 'alice', 440);
    await call(bridge, 'bob', 1000);
    await settle();
    const speaker = run(driver, 12).subarray(-10 * N);
    expect(order.slice(0, 4)).toEqual(['speaker', 'microphone', 'speaker', 'microphone']);
    expect(level(speaker, RATE, 440)).toBeGreaterThan(3500);
    expect(level(speaker, RATE, 440)).toBeLessThan(4500);
    expect(level(alice.heard(), RATE, MIC_HZ)).toBeLessThan(ABSENT);
  });

  it('converts a call whose stream runs at 8 kHz in 10 ms frames', async () => {
    const { driver, bridge } = await started();
    const alice = await call(bridge, 'alice', 440, { sampleRate: 8000, channels: 1, frameMs: 10 });
    await settle();
    const speaker = run(driver, 20).subarray(-10 * N);
    expect(alice.sent.length).toBe(40);
    expect(alice.sent.every((f) => f.length === 80)).toBe(true);
    expect(level(alice.heard(20), 8000, MIC_HZ)).toBeGreaterThan(PRESENT);
    expect(level(speaker, RATE, 440)).toBeGreaterThan(PRESENT);
  });
});

describe('AudioBridge: devices', () => {
  it('opens the real devices when the first call starts and closes them when the last stops', async () => {
    const driver = new FakeAudioDriver();
    const { bridge } = bridgeOn(driver, { input: 'mic', output: 'speaker' });
    const port = bridge.createPort('alice');
    await settle();
    expect(driver.opened).toEqual([]);
    const alice = await call(bridge, 'bob', 440);
    await settle();
    expect(driver.opened).toEqual(['in:mic', 'out:speaker']);
    expect(bridge.statistics()).toMatchObject({ input: 'mic', output: 'speaker', clock: 'timer' });
    driver.sink!.pull();
    expect(bridge.statistics().clock).toBe('device');
    await alice.stop();
    await settle();
    expect(driver.source).toBeUndefined();
    expect(driver.sink).toBeUndefined();
    expect(bridge.statistics()).toMatchObject({ input: null, output: null, clock: 'stopped' });
    expect(port.name).toBe('alice');
    await bridge.close();
  });

  it('ticks on its own timer until the speaker pulls, and no frame is lost in the handover', async () => {
    const driver = new FakeAudioDriver();
    const { bridge } = bridgeOn(driver);
    const alice = await call(bridge, 'alice', 440);
    await settle();
    await vi.advanceTimersByTimeAsync(100);
    expect(alice.sent.length).toBe(5);
    // The first pull comes right after the timer's tick: it plays that tick's frame instead of ticking again.
    run(driver, 3);
    expect(alice.sent.length).toBe(7);
    // The speaker drives the bridge now: no timer ticks any more.
    await vi.advanceTimersByTimeAsync(100);
    expect(alice.sent.length).toBe(7);
    run(driver, 1);
    expect(alice.sent.length).toBe(8);
  });

  it('device switch mid-call: the call goes on with no gap longer than a frame', async () => {
    const dir = tempDir();
    const input = join(dir, 'mic.wav');
    writeFileSync(input, encodeWav({ sampleRate: RATE, channels: 1, samples: new ToneFrames(MIC_HZ, RATE, RATE).next() }));
    const driver = new WavFileDriver({ input, now: () => Date.now() });
    const opened: string[] = [];
    const watched = {
      name: driver.name,
      listDevices: () => driver.listDevices(),
      openSource: (id: string | undefined, format: AudioFormat) => (opened.push(`in:${id}`), driver.openSource(id, format)),
      openSink: (id: string | undefined, format: AudioFormat) => (opened.push(`out:${id}`), driver.openSink(id, format)),
    };
    const bridge = new AudioBridge({ driver: watched, sampleRate: RATE, now: () => Date.now() });
    const alice = await call(bridge, 'alice', 440);
    await vi.advanceTimersByTimeAsync(500);
    const switchedAt = Date.now();
    await bridge.setDevices({ input: 'headset-mic', output: 'headset' });
    await vi.advanceTimersByTimeAsync(500);
    expect(opened).toEqual(['in:undefined', 'out:undefined', 'in:headset-mic', 'out:headset']);
    expect(bridge.statistics()).toMatchObject({ input: 'headset-mic', output: 'headset', clock: 'device' });
    const gaps = alice.sentAt.slice(1).map((t, i) => t - alice.sentAt[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(20);
    // 50 frames a second, neither lost nor doubled at the handovers between the devices and the bridge's timer.
    expect(alice.sent.length).toBe(50);
    const after = joined(alice.sent.filter((_, i) => alice.sentAt[i]! > switchedAt + 40));
    expect(level(after, RATE, MIC_HZ)).toBeGreaterThan(PRESENT);
    await bridge.close();
  });

  it('a device that fails mid-call is replaced by the system default, reported, and the call goes on', async () => {
    const driver = new FakeAudioDriver();
    const { bridge, fallbacks } = bridgeOn(driver, { input: 'usb-mic', output: 'usb-headset' });
    const alice = await call(bridge, 'alice', 440);
    await settle();
    run(driver, 5);
    const failed = driver.sink!;
    failed.fail();
    await settle();
    expect(fallbacks).toEqual([{ kind: 'output', failedId: 'usb-headset', code: 'stream_failed' }]);
    expect(failed.stopped).toBe(true);
    expect(driver.sink!.id).toBe(DEFAULT);
    // The bridge's timer stands in until the default speaker pulls.
    await vi.advanceTimersByTimeAsync(40);
    expect(alice.sent.length).toBe(7);
    const speaker = run(driver, 12).subarray(-10 * N);
    expect(level(speaker, RATE, 440)).toBeGreaterThan(PRESENT);
    // The first of the 12 pulls played the timer's last frame.
    expect(alice.sent.length).toBe(18);

    driver.source!.fail();
    await settle();
    expect(fallbacks.at(-1)).toEqual({ kind: 'input', failedId: 'usb-mic', code: 'stream_failed' });
    expect(driver.source!.id).toBe(DEFAULT);
    run(driver, 12);
    expect(level(alice.heard(), RATE, MIC_HZ)).toBeGreaterThan(PRESENT);
    expect(bridge.statistics()).toMatchObject({ input: undefined, output: undefined });
  });

  it('a chosen device that will not open falls back to the default at once', async () => {
    const driver = new FakeAudioDriver();
    driver.failing.add('unplugged');
    const { bridge, fallbacks } = bridgeOn(driver, { output: 'unplugged' });
    await call(bridge, 'alice', 440);
    await settle();
    expect(fallbacks).toEqual([{ kind: 'output', failedId: 'unplugged', code: 'not_found' }]);
    expect(driver.opened).toEqual(['in:default', 'out:unplugged', 'out:default']);
  });

  it('when even the default fails, ticking goes on on its own timer and retries are bounded', async () => {
    const driver = new FakeAudioDriver();
    driver.failing.add(DEFAULT);
    driver.failing.add('usb-headset');
    const { bridge, deviceErrors } = bridgeOn(driver, { output: 'usb-headset', retry: { firstDelayMs: 100, maxDelayMs: 400, maxAttempts: 3 } });
    const alice = await call(bridge, 'alice', 440);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(alice.sent.length).toBe(500);
    const outputs = deviceErrors.filter((e) => e.kind === 'output').map((e) => e.retryInMs);
    expect(outputs).toEqual([100, 200, 400, undefined]);
    expect(deviceErrors.filter((e) => e.kind === 'input').map((e) => e.retryInMs)).toEqual([100, 200, 400, undefined]);
    // The first try and three retries, each of the chosen device then the default.
    expect(driver.opened.filter((o) => o.startsWith('out:'))).toHaveLength(8);
    expect(level(alice.heard(), RATE, MIC_HZ)).toBeLessThan(ABSENT);

    // The devices are back; choosing again re-arms the bridge.
    driver.failing.clear();
    await bridge.setDevices({ output: 'usb-headset' });
    await settle();
    expect(bridge.statistics()).toMatchObject({ input: undefined, output: 'usb-headset' });
    run(driver, 12);
    expect(level(alice.heard(), RATE, MIC_HZ)).toBeGreaterThan(PRESENT);
  });

  it('a retry picks up a device that came back', async () => {
    const driver = new FakeAudioDriver();
    const { bridge, deviceErrors } = bridgeOn(driver, { retry: { firstDelayMs: 100 } });
    await call(bridge, 'alice', 440);
    await settle();
    driver.failing.add(DEFAULT);
    driver.sink!.fail();
    await settle();
    expect(deviceErrors).toEqual([{ kind: 'output', retryInMs: 100 }]);
    driver.failing.clear();
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(driver.sink?.started).toBe(true);
    expect(bridge.statistics().output).toBeUndefined();
  });
});

describe('AudioBridge: microphone clock drift', () => {
  it.each([
    ['faster', 101, 100],
    ['slower', 99, 100],
  ])('a microphone 1 %% %s than the speaker keeps the FIFO bounded', async (_name, pushes, pulls) => {
    const driver = new FakeAudioDriver();
    const { bridge } = bridgeOn(driver);
    const alice = await call(bridge, 'alice', 440);
    await settle();
    const microphone = new ToneFrames(MIC_HZ, RATE, N);
    let deepest = 0;
    for (let round = 0; round < 100; round++) {
      for (let i = 0; i < pulls; i++) {
        driver.sink!.pull();
        // Pushes spread evenly among the pulls.
        const due = Math.floor(((i + 1) * pushes) / pulls) - Math.floor((i * pushes) / pulls);
        for (let k = 0; k < due; k++) driver.source!.push(microphone.next());
        deepest = Math.max(deepest, bridge.statistics().microphone.depth);
      }
    }
    const stats = bridge.statistics().microphone;
    expect(deepest).toBeLessThanOrEqual(3);
    if (pushes > pulls) expect(stats.dropped).toBeGreaterThanOrEqual(95);
    else expect(stats.repeated).toBeGreaterThanOrEqual(95);
    expect(stats.dropped + stats.repeated).toBeLessThanOrEqual(110);
    expect(level(alice.heard(), RATE, MIC_HZ)).toBeGreaterThan(PRESENT);
  });
});

describe('AudioBridge: recording', () => {
  it('records a call’s both directions to a valid WAV, several at once', async () => {
    const dir = tempDir();
    const { driver, bridge } = await started();
    await call(bridge, 'alice', 440);
    await call(bridge, 'bob', 1000);
    await settle();
    run(driver, 2);
    const aliceFile = join(dir, 'alice.wav');
    const bobFile = join(dir, 'bob.wav');
    const aliceRecording = bridge.record('alice', aliceFile);
    const bobRecording = bridge.record('bob', bobFile);
    run(driver, 25);
    aliceRecording.stop();
    run(driver, 5);
    bridge.removePort('bob');
    expect(bobRecording.active).toBe(false);

    const bytes = readFileSync(aliceFile);
    const wav = parseWav(bytes);
    expect(wav).toMatchObject({ sampleRate: RATE, channels: 1 });
    expect(wav.samples.length).toBe(25 * N);
    expect(bytes.readUInt32LE(4)).toBe(36 + 25 * N * 2);
    expect(bytes.readUInt32LE(40)).toBe(25 * N * 2);
    expect(level(wav.samples, RATE, MIC_HZ), 'the user’s side').toBeGreaterThan(PRESENT);
    expect(level(wav.samples, RATE, 440), 'the peer’s side').toBeGreaterThan(PRESENT);
    expect(level(wav.samples, RATE, 1000), 'not the other call').toBeLessThan(ABSENT);

    const bob = parseWav(readFileSync(bobFile));
    expect(bob.samples.length).toBe(30 * N);
    expect(level(bob.samples, RATE, 1000)).toBeGreaterThan(PRESENT);
    expect(level(bob.samples, RATE, MIC_HZ)).toBeGreaterThan(PRESENT);
  });
});

describe('AudioBridge: a MediaStream on a bridge port, unchanged', () => {
  beforeEach(() => vi.useRealTimers());

  it('bob calls: the user hears bob through the bridge and bob hears the user (PCMU at 8 kHz on a 16 kHz bridge)', async () => {
    const dir = tempDir();
    const tone = (name: string, rate: number, hz: number) => {
      const path = join(dir, name);
      writeFileSync(path, encodeWav({ sampleRate: rate, channels: 1, samples: new ToneFrames(hz, rate, rate).next() }));
      return path;
    };
    const speakerFile = join(dir, 'speaker.wav');
    const bobHeardFile = join(dir, 'bob-heard.wav');
    const bridge = new AudioBridge({ driver: new WavFileDriver({ input: tone('mic.wav', RATE, MIC_HZ), output: speakerFile }), sampleRate: RATE });
    const userPort = await allocateRtpPort('127.0.0.1');
    const bobPort = await allocateRtpPort('127.0.0.1');
    const errors: Error[] = [];
    const user = new MediaStream({ port: userPort, driver: bridge.createPort('bob').driver, delegate: { onError: (e) => errors.push(e) } });
    const bob = new MediaStream({ port: bobPort, driver: new WavFileDriver({ input: tone('bob.wav', 8000, 1000), output: bobHeardFile }), delegate: { onError: (e) => errors.push(e) } });
    await Promise.all([user.start(pcmu(bobPort.port)), bob.start(pcmu(userPort.port))]);
    await new Promise((resolve) => setTimeout(resolve, 700));
    await Promise.all([user.stop(), bob.stop()]);
    await bridge.close();
    expect(errors).toEqual([]);
    const speaker = parseWav(readFileSync(speakerFile)).samples;
    const tail = speaker.subarray(speaker.length - Math.round(0.3 * RATE));
    expect(level(tail, RATE, 1000)).toBeGreaterThan(2000);
    expect(level(tail, RATE, MIC_HZ)).toBeLessThan(ABSENT);
    const bobHeard = parseWav(readFileSync(bobHeardFile)).samples;
    const bobTail = bobHeard.subarray(bobHeard.length - Math.round(0.3 * 8000));
    expect(level(bobTail, 8000, MIC_HZ)).toBeGreaterThan(2000);
    expect(level(bobTail, 8000, 1000)).toBeLessThan(ABSENT);
  });
});

function pcmu(remotePort: number): NegotiatedAudio {
  const voice = describeCodec(codecs.PCMU);
  return {
    mediaIndex: 0,
    protocol: 'RTP/AVP',
    remoteAddress: '127.0.0.1',
    remotePort,
    rtcpAddress: '127.0.0.1',
    rtcpPort: remotePort + 1,
    rtcpMux: false,
    codec: voice,
    codecs: [voice],
    telephoneEvent: undefined,
    ptime: 20,
    direction: 'sendrecv',
    remoteHold: false,
    crypto: [],
  };
}
