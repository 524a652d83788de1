/**
 * Runs the naudiodon driver in its own process, where ALSA reads the test's configuration
 * (HOME and ALSA_CONFIG_PATH are read once per process, at the first PortAudio initialisation).
 * `node --import tsx driver-child.ts <scenario>`; the result, as JSON, goes to $RESULT_FILE
 * (stdout carries naudiodon's own prints). The process must end by itself: the test treats a
 * child that does not exit as a leaked handle.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { NaudiodonDriver } from '../../../../../main/core/audio/naudiodon-driver.js';
import { diffDevices } from '../../../../../main/core/audio/device-diff.js';
import { AudioDeviceError, samplesPerFrame, type AudioFormat } from '../../../../../main/core/audio/audio-driver.js';
import { testSample } from './test-signal.js';

const resultFile = process.env['RESULT_FILE'];
const config = process.env['ALSA_CONFIG_PATH'];
if (resultFile === undefined || config === undefined) throw new Error('RESULT_FILE and ALSA_CONFIG_PATH must be set');
const scenario = process.argv[2];

async function list(): Promise<unknown> {
  const driver = new NaudiodonDriver();
  return { devices: await driver.listDevices() };
}

/** Plays `frames` frames of the test signal to vout, then silence until stopped. */
async function play(): Promise<unknown> {
  const format: AudioFormat = { sampleRate: 48000, channels: 1, frameMs: 20 };
  const frames = 50;
  const size = samplesPerFrame(format);
  const sink = await new NaudiodonDriver().openSink('ALSA:vout:0', format);
  const errors: string[] = [];
  let pulls = 0;
  await new Promise<void>((resolve) => {
    sink.start(
      () => {
        const frame = new Int16Array(size);
        if (pulls < frames) for (let i = 0; i < size; i++) frame[i] = testSample(pulls * size + i);
        pulls++;
        // Two frames of silence after the signal, then stop: stop() plays what is queued.
        if (pulls === frames + 2) resolve();
        return frame;
      },
      (error) => errors.push(`${error.code}: ${error.message}`),
    );
  });
  await sink.stop();
  return { frames, samplesPerFrame: size, pulls, errors };
}

/** Captures `frames` frames from vin (which reads capture.raw), stereo at 16 kHz. */
async function capture(): Promise<unknown> {
  const format: AudioFormat = { sampleRate: 16000, channels: 2, frameMs: 20 };
  const frames = 40;
  const source = await new NaudiodonDriver().openSource('ALSA:vin:0', format);
  const errors: string[] = [];
  const received: number[][] = [];
  await new Promise<void>((resolve) => {
    source.start(
      (frame) => {
        if (received.length < frames) received.push(Array.from(frame));
        if (received.length === frames) resolve();
      },
      (error) => errors.push(`${error.code}: ${error.message}`),
    );
  });
  await source.stop();
  return { frames: received, errors };
}

/** Hot-plug: a device added to the configuration appears on refresh, but not while a stream is open. */
async function refresh(): Promise<unknown> {
  const driver = new NaudiodonDriver();
  const before = await driver.listDevices();
  appendFileSync(config!, 'pcm.vplugged { type null }\n');
  const after = await driver.refreshDevices();
  const sink = await driver.openSink(undefined, { sampleRate: 8000, channels: 1, frameMs: 20 });
  const whileOpen = { canRefresh: driver.canRefresh, refreshed: (await driver.refreshDevices()) ?? null };
  await sink.stop();
  appendFileSync(config!, 'pcm.vlater { type null }\n');
  const afterClose = await driver.refreshDevices();
  return {
    added: after === undefined ? null : diffDevices(before, after).added.map((device) => device.id),
    whileOpen,
    addedAfterClose: afterClose === undefined ? null : diffDevices(after ?? [], afterClose).added.map((device) => device.id),
  };
}

/** Open failures come back as AudioDeviceErrors with a code. */
async function errors(): Promise<unknown> {
  const driver = new NaudiodonDriver();
  const codes: Record<string, string> = {};
  const attempt = async (label: string, open: () => Promise<unknown>) => {
    try {
      await open();
      codes[label] = 'opened';
    } catch (error) {
      codes[label] = error instanceof AudioDeviceError ? error.code : `not an AudioDeviceError: ${String(error)}`;
    }
  };
  await attempt('unknown device', () => driver.openSink('ALSA:no such device:0', { sampleRate: 8000, channels: 1, frameMs: 20 }));
  await attempt('too many channels', () => driver.openSource('ALSA:vin:0', { sampleRate: 8000, channels: 1000, frameMs: 20 }));
  return { codes, canRefresh: driver.canRefresh };
}

const scenarios: Record<string, () => Promise<unknown>> = { list, play, capture, refresh, errors };
const run = scenario === undefined ? undefined : scenarios[scenario];
if (run === undefined) throw new Error(`unknown scenario ${scenario}`);
writeFileSync(resultFile, JSON.stringify(await run()));
