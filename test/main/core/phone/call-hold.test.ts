/**
 * Hold through the audio bridge, two phones on loopback: the held peer hears silence, or music
 * when the account plays music on hold; on resume it hears the microphone again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../shared/contract.js';
import type { CallView } from '../../../../shared/model.js';
import { encodeWav, WavFileDriver } from '../../../../main/core/audio/index.js';
import { holdMusic } from '../../../../main/core/audio/tones/hold-music.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';
import { tempDir } from '../../../helpers/temp-dir.js';


describe('hold music', () => {
  it('is quiet, tonal and loops without a click', () => {
    const music = holdMusic(16000);
    expect(music.samples.length).toBe(16 * 8000);
    const peak = music.samples.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
    expect(20 * Math.log10(peak / 32767)).toBeLessThan(-17);
    expect(20 * Math.log10(peak / 32767)).toBeGreaterThan(-24);
    // Each note starts from silence (attack) and ends decayed: the loop point has no step.
    expect(Math.abs(music.samples[0]!)).toBeLessThan(50);
    expect(Math.abs(music.samples.at(-1)!)).toBeLessThan(peak / 10);
  });
});

describe.each([
  { musicOnHold: false, onHold: (level: number) => level < -60 },
  { musicOnHold: true, onHold: (level: number) => level > -45 },
])('hold with musicOnHold=$musicOnHold', ({ musicOnHold, onHold }) => {
  it('the held peer hears silence or music, then the microphone again', async () => {
    const tone = join(tempDir(), 'tone.wav');
    writeFileSync(tone, encodeWav({ sampleRate: 16000, channels: 1, samples: Int16Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 500 * i) / 16000))) }));
    const alice = await testCore({ audio: { driver: new WavFileDriver({ input: tone }), deviceSampleRate: 16000 } });
    const bob = await testCore({ audio: { driver: new WavFileDriver({}) } });
    await bob.core.handlers['accounts.add'](accountFields({ user: 'bob', domain: `127.0.0.1:${udpPort(alice.core)}`, register: false, srtp: 'off' }));
    await alice.core.handlers['accounts.add'](accountFields({ user: 'alice', domain: `127.0.0.1:${udpPort(bob.core)}`, register: false, srtp: 'off', musicOnHold }));
    const heard: number[] = [];
    let incoming: CallView | undefined;
    bob.core.subscribe((name, payload) => {
      if (name === 'audio.level') heard.push((payload as EventPayload<'audio.level'>).output);
      if (name === 'call.incoming') incoming = payload as CallView;
    });
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => incoming, { timeout: 5000 }).toBeDefined();
    await bob.core.handlers['calls.answer']({ callId: incoming!.id });
    await expect.poll(() => heard.at(-1) ?? -100, { timeout: 3000 }).toBeGreaterThan(-25);
    expect(await alice.core.handlers['calls.hold']({ callId: call.id, held: true })).toMatchObject({ held: true });
    await expect.poll(async () => (await bob.core.handlers['calls.list']({}))[0]?.remoteHeld, { timeout: 3000 }).toBe(true);
    heard.length = 0;
    await expect.poll(() => heard.length, { timeout: 3000 }).toBeGreaterThan(8);
    expect(heard.slice(-5).every(onHold), JSON.stringify(heard.slice(-5))).toBe(true);
    await alice.core.handlers['calls.hold']({ callId: call.id, held: false });
    await expect.poll(() => heard.at(-1) ?? -100, { timeout: 3000 }).toBeGreaterThan(-25);
    await alice.core.handlers['calls.hangup']({ callId: call.id });
  });
});
