/**
 * Two phones on loopback, straight to each other (no proxy), WAV-file drivers: alice plays a
 * tone, bob's speaker meter hears it; alice mutes and bob hears silence; alice unmutes and the
 * tone is back. Calls open the devices the user chose.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../shared/contract.js';
import type { CallView } from '../../../../shared/model.js';
import { encodeWav, WavFileDriver, type AudioFormat, type AudioSource } from '../../../../main/core/audio/index.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';
import { tempDir } from '../../../helpers/temp-dir.js';


/** A WAV driver that remembers which microphone was asked for. */
class RecordingDriver extends WavFileDriver {
  readonly opened: (string | undefined)[] = [];
  override openSource(deviceId: string | undefined, format: AudioFormat): Promise<AudioSource> {
    this.opened.push(deviceId);
    return super.openSource(deviceId, format);
  }
}

describe('call audio', () => {
  it('alice mutes and unmutes; bob\'s speaker meter follows; the chosen microphone is used', async () => {
    const dir = tempDir();
    const tone = join(dir, 'tone.wav');
    writeFileSync(tone, encodeWav({ sampleRate: 16000, channels: 1, samples: Int16Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 500 * i) / 16000))) }));
    const aliceDriver = new RecordingDriver({ input: tone });
    // The tone is 16 kHz; the devices open at that rate whatever the codec (Opus: 48 kHz).
    const alice = await testCore({ audio: { driver: aliceDriver, deviceSampleRate: 16000 } });
    const bob = await testCore({ audio: { driver: new WavFileDriver({}) } });
    await alice.core.handlers['audio.select']({ microphone: 'wav-file:in' });

    await bob.core.handlers['accounts.add'](accountFields({ user: 'bob', domain: `127.0.0.1:${udpPort(alice.core)}`, register: false, srtp: 'off' }));
    await alice.core.handlers['accounts.add'](accountFields({ user: 'alice', domain: `127.0.0.1:${udpPort(bob.core)}`, register: false, srtp: 'off' }));
    const heard: number[] = [];
    let incoming: CallView | undefined;
    bob.core.subscribe((name, payload) => {
      if (name === 'audio.level') heard.push((payload as EventPayload<'audio.level'>).output);
      if (name === 'call.incoming') incoming = payload as CallView;
    });

    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => incoming, { timeout: 5000 }).toBeDefined();
    await bob.core.handlers['calls.answer']({ callId: incoming!.id });
    await expect.poll(() => alice.core.handlers['calls.list']({}).then((calls) => calls[0]?.state), { timeout: 5000 }).toBe('established');
    // The media starts just after the call is established: poll for the microphone to open.
    await expect.poll(() => aliceDriver.opened, { timeout: 3000 }).toEqual(['wav-file:in']);

    await expect.poll(() => heard.at(-1) ?? -100, { timeout: 3000 }).toBeGreaterThan(-25);
    expect(await alice.core.handlers['calls.mute']({ callId: call.id, muted: true })).toMatchObject({ id: call.id, muted: true });
    await expect.poll(() => heard.at(-1) ?? 0, { timeout: 3000 }).toBeLessThan(-60);
    expect((await alice.core.handlers['calls.list']({}))[0]?.muted).toBe(true);
    await alice.core.handlers['calls.mute']({ callId: call.id, muted: false });
    await expect.poll(() => heard.at(-1) ?? -100, { timeout: 3000 }).toBeGreaterThan(-25);
    await alice.core.handlers['calls.hangup']({ callId: call.id });
  });
});
