/**
 * The naudiodon driver through real PortAudio and real ALSA, on virtual devices (see
 * alsa/alsa-config.ts). Each scenario runs in a child process, because ALSA and PortAudio read
 * their configuration once per process; the child must exit by itself, which proves that
 * stop() released every PortAudio stream and thread. A missing libasound or a PortAudio
 * failure fails these tests: nothing here is skipped.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AudioDevice } from '../../../../main/core/audio/audio-driver.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { writeAlsaSetup, type AlsaTestSetup } from './alsa/alsa-config.js';
import { testSample } from './alsa/test-signal.js';

const child = fileURLToPath(new URL('./alsa/driver-child.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Runs one scenario of driver-child.ts and returns its result; any failure is a test failure. */
async function runChild<T>(setup: AlsaTestSetup, scenario: string, timeoutMs = 15_000): Promise<T> {
  const result = join(setup.home, `${scenario}.json`);
  // cwd is the temporary HOME: naudiodon's segfault handler writes crash.log there.
  const proc = spawn(process.execPath, ['--import', tsx, child, scenario], { cwd: setup.home, env: { ...setup.env, RESULT_FILE: result }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = await new Promise<{ code: number | null; signal: string | null; hung: boolean }>((resolve) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      resolve({ code: null, signal: 'SIGKILL', hung: true });
    }, timeoutMs);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, hung: false });
    });
  });
  if (exit.hung) throw new Error(`the driver child (${scenario}) did not exit within ${timeoutMs} ms: a stream or handle was left open\n${output}`);
  if (exit.code !== 0) throw new Error(`the driver child (${scenario}) failed (code ${exit.code}, signal ${exit.signal}); is libasound2 installed?\n${output}`);
  return JSON.parse(readFileSync(result, 'utf8')) as T;
}

function pcm(samples: Int16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

describe('NaudiodonDriver on ALSA virtual devices', () => {
  it('lists the virtual devices with stable ids, ALSA as host API and the default flagged', async () => {
    const setup = writeAlsaSetup(tempDir('naudiodon-alsa-'));
    const { devices } = await runChild<{ devices: AudioDevice[] }>(setup, 'list');
    const byId = new Map(devices.map((device) => [device.id, device]));
    for (const id of ['ALSA:vsilent:0', 'ALSA:vout:0', 'ALSA:vin:0', 'ALSA:default:0']) expect(byId.has(id), `${id} in ${[...byId.keys()].join(', ')}`).toBe(true);
    expect(byId.get('ALSA:vout:0')).toMatchObject({ name: 'vout', hostApi: 'ALSA', defaultInput: false, defaultOutput: false });
    expect(byId.get('ALSA:vout:0')!.outputChannels).toBeGreaterThanOrEqual(2);
    expect(byId.get('ALSA:vin:0')!.inputChannels).toBeGreaterThanOrEqual(2);
    expect(byId.get('ALSA:default:0')).toMatchObject({ defaultInput: true, defaultOutput: true });
    expect(devices.filter((device) => device.defaultInput)).toHaveLength(1);
    expect(devices.filter((device) => device.defaultOutput)).toHaveLength(1);
    expect(byId.get('ALSA:default:0')!.defaultSampleRate).toBeGreaterThan(0);
  });

  it('plays frames to the file plugin byte for byte, after the silence PortAudio primes the device with', async () => {
    const setup = writeAlsaSetup(tempDir('naudiodon-alsa-'));
    const run = await runChild<{ frames: number; samplesPerFrame: number; pulls: number; errors: string[] }>(setup, 'play');
    expect(run.errors).toEqual([]);
    const expected = pcm(Int16Array.from({ length: run.frames * run.samplesPerFrame }, (_, n) => testSample(n)));
    const played = readFileSync(setup.played);
    // PortAudio fills the whole ALSA buffer with silence before starting an output stream (two
    // periods of one frame here), so the file starts with zeros; then come our samples, exactly;
    // then the silence pulled after the signal and naudiodon's zero-filled last buffer.
    const lead = played.findIndex((byte) => byte !== 0);
    expect(lead).toBeGreaterThanOrEqual(0);
    expect(lead % 2).toBe(0);
    expect(lead).toBe(2 * run.samplesPerFrame * 2);
    expect(played.subarray(lead, lead + expected.length).equals(expected)).toBe(true);
    expect(played.subarray(lead + expected.length).every((byte) => byte === 0)).toBe(true);
    expect(played.length - lead - expected.length).toBeGreaterThanOrEqual(2 * run.samplesPerFrame * 2);
  });

  it('captures the file behind the input device as frames of exactly one frame each', async () => {
    const setup = writeAlsaSetup(tempDir('naudiodon-alsa-'));
    const samples = Int16Array.from({ length: 100 * 640 }, (_, n) => testSample(n));
    writeFileSync(setup.capture, pcm(samples));
    const run = await runChild<{ frames: number[][]; errors: string[] }>(setup, 'capture');
    expect(run.errors).toEqual([]);
    expect(run.frames).toHaveLength(40);
    // 16 kHz × 2 channels × 20 ms = 640 interleaved samples, from the first sample of the file.
    for (const frame of run.frames) expect(frame).toHaveLength(640);
    expect(run.frames.flat()).toEqual(Array.from(samples.subarray(0, 40 * 640)));
  });

  it('re-enumerates on refresh when no stream is open, and declines while one is', async () => {
    const setup = writeAlsaSetup(tempDir('naudiodon-alsa-'));
    const run = await runChild<{ added: string[] | null; whileOpen: { canRefresh: boolean; refreshed: unknown }; addedAfterClose: string[] | null }>(setup, 'refresh');
    expect(run.added).toEqual(['ALSA:vplugged:0']);
    expect(run.whileOpen).toEqual({ canRefresh: false, refreshed: null });
    expect(run.addedAfterClose).toEqual(['ALSA:vlater:0']);
  });

  it('reports open failures as AudioDeviceErrors without pinning PortAudio', async () => {
    const setup = writeAlsaSetup(tempDir('naudiodon-alsa-'));
    const run = await runChild<{ codes: Record<string, string>; canRefresh: boolean }>(setup, 'errors');
    expect(run.codes).toEqual({ 'unknown device': 'not_found', 'too many channels': 'unsupported_format' });
    expect(run.canRefresh).toBe(true);
  });
});
