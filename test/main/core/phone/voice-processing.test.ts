/**
 * Voice processing sits in a call's microphone path: with AGC on, a quiet microphone (a tone at
 * about −38 dBFS) reaches the other phone near the AGC's −20 dBFS target; without it, as quiet
 * as it went in.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../shared/contract.js';
import type { CallView } from '../../../../shared/model.js';
import { encodeWav, WavFileDriver } from '../../../../main/core/audio/index.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';
import { tempDir } from '../../../helpers/temp-dir.js';


/** A syllable-like quiet signal: 300 Hz with 4 Hz on/off bursts, peak ~ −35 dBFS. */
function quietSpeechLike(rate: number, seconds: number): Uint8Array {
  const samples = Int16Array.from({ length: rate * seconds }, (_, i) => {
    const t = i / rate;
    const envelope = Math.sin(2 * Math.PI * 2 * t) > -0.3 ? 1 : 0;
    return Math.round(envelope * 580 * (Math.sin(2 * Math.PI * 300 * t) + 0.5 * Math.sin(2 * Math.PI * 600 * t)));
  });
  return encodeWav({ sampleRate: rate, channels: 1, samples });
}

async function loudestHeard(autoGain: boolean): Promise<number> {
  const dir = tempDir();
  const input = join(dir, 'quiet.wav');
  writeFileSync(input, quietSpeechLike(16000, 10));
  const alice = await testCore({ audio: { driver: new WavFileDriver({ input }), deviceSampleRate: 16000, ...(autoGain ? { voice: { autoGain: true, echoCancellation: true } } : {}) } });
  const bob = await testCore({ audio: { driver: new WavFileDriver({}), deviceSampleRate: 16000 } });
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
  // AGC rises at most 8 dB/s: give it 4 s, then take the loudest level of the next 1.5 s.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const start = heard.length;
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await alice.core.handlers['calls.hangup']({ callId: call.id });
  return Math.max(...heard.slice(start));
}

describe('voice processing in calls', () => {
  it('AGC lifts a quiet microphone towards its target; without it the level stays low', async () => {
    const without = await loudestHeard(false);
    const withAgc = await loudestHeard(true);
    expect(without).toBeLessThan(-30);
    expect(withAgc).toBeGreaterThan(without + 6);
  }, 30_000);
});
