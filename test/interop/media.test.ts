/**
 * Two-way audio for real (issue "Media engine" point 7): our phone, registered at the lab's
 * Kamailio, calls baresip bob with one codec at a time (PCMU, PCMA, G.722, Opus) and with SRTP.
 * Each side plays its own tone — we 440 Hz from a WAV file, bob 1000 Hz — and each side's
 * recording must contain the other's tone. DTMF goes both ways.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallDtmf, CallStats, CallView } from '../../shared/model.js';
import { encodeWav, WavFileDriver } from '../../main/core/audio/index.js';
import { createCore, type Core } from '../../main/core/index.js';
import { accountFields } from '../helpers/account-fields.js';
import { analyseTone } from './lab/audio.js';
import { startBaresip, type Baresip } from './lab/baresip.js';
import { startKamailio, type Kamailio } from './lab/kamailio.js';
import { labCoreOptions } from './lab/core.js';

let kamailio: Kamailio;
const dir = mkdtempSync(join(tmpdir(), 'media-interop-'));
beforeAll(async () => {
  kamailio = await startKamailio();
});
afterAll(async () => {
  await kamailio.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tone(hz: number, rate: number, seconds: number): Uint8Array {
  const samples = Int16Array.from({ length: rate * seconds }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)));
  return encodeWav({ sampleRate: rate, channels: 1, samples });
}

interface Phone {
  core: Core;
  recording: string;
  events: { name: string; payload: unknown }[];
  close(): Promise<void>;
}

async function phone(name: string, rate: number, srtp: 'off' | 'optional' | 'required'): Promise<Phone> {
  const input = join(dir, `${name}-in.wav`);
  const recording = join(dir, `${name}-heard.wav`);
  writeFileSync(input, tone(440, rate, 10));
  const dataDir = mkdtempSync(join(dir, `${name}-data-`));
  const core = await createCore(labCoreOptions(kamailio, dataDir, { audio: { driver: new WavFileDriver({ input, output: recording }), deviceSampleRate: rate, rtpTimeoutSeconds: 0, statsIntervalSeconds: 1 } }));
  const events: Phone['events'] = [];
  core.subscribe((eventName, payload) => events.push({ name: eventName, payload }));
  await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', srtp }));
  for (let i = 0; i < 100 && (await core.handlers['accounts.list']({}))[0]!.status.state !== 'registered'; i++) await sleep(50);
  return { core, recording, events, close: () => core.close() };
}

/** Our call to bob, held up for `seconds` of audio, then hung up; returns the call's last view. */
async function callBob(p: Phone, bob: Baresip, seconds: number): Promise<CallView> {
  const call = await p.core.handlers['calls.dial']({ target: 'bob' });
  await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
  await sleep(seconds * 1000);
  const view = (p.events.filter((e) => e.name === 'call.state' && (e.payload as CallView).id === call.id).at(-1)!.payload as CallView);
  await p.core.handlers['calls.hangup']({ callId: call.id });
  await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  await sleep(200);
  return view;
}

function expectHeard(wav: string, heard: number, own: number): void {
  const other = analyseTone(wav, heard);
  const mine = analyseTone(wav, own);
  expect(other.presence, `${heard} Hz in ${wav}`).toBeGreaterThan(0.5);
  expect(other.level).toBeGreaterThan(-40);
  expect(mine.presence, `${own} Hz in ${wav}`).toBeLessThan(0.1);
}

describe.each([
  { codec: 'PCMU', baresip: 'pcmu', rate: 8000, expected: 'PCMU' },
  { codec: 'PCMA', baresip: 'pcma', rate: 8000, expected: 'PCMA' },
  { codec: 'G722', baresip: 'G722/16000/1', rate: 16000, expected: 'G722' },
  { codec: 'Opus', baresip: 'opus', rate: 48000, expected: 'opus' },
])('two-way audio with baresip over $codec', ({ codec, baresip, rate, expected }) => {
  it(`each side hears the other's tone (${codec})`, async () => {
    const bob = await startBaresip({ user: 'bob', kamailio, toneHz: 1000, answerMode: 'auto', accountParams: `;audio_codecs=${baresip}` });
    const p = await phone(codec, rate, 'off');
    try {
      const view = await callBob(p, bob, 3);
      expect(view.codec).toBe(expected);
      expectHeard(p.recording, 1000, 440);
      const bobHeard = bob.recordings().at(-1);
      expect(bobHeard, 'bob recorded the call').toBeDefined();
      expectHeard(bobHeard!, 440, 1000);
      const stats = p.events.filter((e) => e.name === 'call.stats').map((e) => e.payload as CallStats);
      expect(stats.length).toBeGreaterThan(0);
      expect(stats.at(-1)!.packetsReceived).toBeGreaterThan(50);
    } finally {
      await p.close();
      await bob.stop();
    }
  });
});

describe('SRTP with baresip', () => {
  it.each([
    { policy: 'required' as const, mediaenc: 'srtp-mand' },
    { policy: 'optional' as const, mediaenc: 'srtp' },
  ])('encrypts both ways when the account says $policy and baresip uses $mediaenc', async ({ policy, mediaenc }) => {
    const bob = await startBaresip({ user: 'bob', kamailio, toneHz: 1000, answerMode: 'auto', accountParams: `;audio_codecs=pcmu;mediaenc=${mediaenc}` });
    const p = await phone(`srtp-${policy}`, 8000, policy);
    try {
      await callBob(p, bob, 3);
      expectHeard(p.recording, 1000, 440);
      expectHeard(bob.recordings().at(-1)!, 440, 1000);
      const sent = p.events.filter((e) => e.name === 'log.sip' && (e.payload as { direction: string }).direction === 'out').map((e) => (e.payload as { text: string }).text);
      expect(sent.some((t) => /^a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:/m.test(t))).toBe(true);
      if (policy === 'required') expect(sent.some((t) => /^m=audio \d+ RTP\/SAVP /m.test(t))).toBe(true);
    } finally {
      await p.close();
      await bob.stop();
    }
  });
});

describe('DTMF with baresip', () => {
  it('sends RFC 4733 digits that baresip sees, and receives the ones it sends', async () => {
    const bob = await startBaresip({ user: 'bob', kamailio, toneHz: 1000, answerMode: 'auto', accountParams: ';audio_codecs=pcmu' });
    const p = await phone('dtmf', 8000, 'off');
    try {
      const call = await p.core.handlers['calls.dial']({ target: 'bob' });
      await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
      await sleep(500);
      await p.core.handlers['calls.dtmf']({ callId: call.id, digits: '19#' });
      const seen: string[] = [];
      for (let i = 0; i < 3; i++) {
        const event = await bob.ctrl.waitForEvent(['CALL_DTMF_START'], { timeoutMs: 5000 });
        seen.push(String((event as { param?: string }).param ?? ''));
      }
      expect(seen).toEqual(['1', '9', '#']);
      // baresip 1.0's in-call command for DTMF is `sndcode` (RFC 4733 when negotiated).
      await bob.ctrl.command('sndcode', '4');
      await sleep(300);
      await bob.ctrl.command('sndcode', '2');
      await expect.poll(() => p.events.filter((e) => e.name === 'call.dtmf').map((e) => (e.payload as CallDtmf).digit), { timeout: 5000 }).toEqual(['4', '2']);
      await p.core.handlers['calls.hangup']({ callId: call.id });
      await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    } finally {
      await p.close();
      await bob.stop();
    }
  });
});
