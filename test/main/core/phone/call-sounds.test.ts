/**
 * Call sounds: ringback while the far end rings, the ring of an incoming call on the ringer
 * device (distinctive by Alert-Info), both stopped when the call is answered; a busy tone when
 * the far end is busy. A capturing driver records which device each sound opened and what it
 * played.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallView } from '../../../../shared/model.js';
import { CallSounds } from '../../../../main/core/phone/call-sounds.js';
import { silentLogger } from '../../../../main/core/log.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';
import { CapturingDriver, presenceAt } from '../../../helpers/capturing-driver.js';

describe('CallSounds', () => {
  it('plays E.180 ringback for the region and a distinctive ring from Alert-Info, never fetching it', async () => {
    const driver = new CapturingDriver();
    const sounds = new CallSounds(driver, { region: 'eu', ringtonesDir: join(import.meta.dirname, '../../../../assets/ringtones') }, silentLogger);
    const ringback = await sounds.ringback('speaker-1');
    expect(driver.sinks[0]).toMatchObject({ deviceId: 'speaker-1', stopped: false });
    expect(presenceAt(driver.sinks[0]!.frames, 425)).toBeGreaterThan(0.9);
    await ringback!.stop();
    expect(driver.sinks[0]!.stopped).toBe(true);

    await (await sounds.ring('ringer-1', '<http://evil.example/x.wav>;info=Bellcore-dr2'))!.stop();
    expect(driver.sinks[1]).toMatchObject({ deviceId: 'ringer-1', stopped: true });
    expect(driver.sinks[1]!.frames.some((f) => f.some((s) => s !== 0))).toBe(true);
    await (await sounds.ring(undefined, '<urn:alert:service:chime>'))!.stop();
    expect(driver.sinks[2]!.frames.some((f) => f.some((s) => s !== 0))).toBe(true);
  });
});


describe('call sounds in calls', () => {
  it('the caller hears ringback and the callee rings on the ringer until answered', async () => {
    const aliceDriver = new CapturingDriver();
    const bobDriver = new CapturingDriver();
    const alice = await testCore({ audio: { driver: aliceDriver } });
    const bob = await testCore({ audio: { driver: bobDriver } });
    await bob.core.handlers['accounts.add'](accountFields({ user: 'bob', domain: `127.0.0.1:${udpPort(alice.core)}`, register: false, srtp: 'off' }));
    await alice.core.handlers['accounts.add'](accountFields({ user: 'alice', domain: `127.0.0.1:${udpPort(bob.core)}`, register: false, srtp: 'off' }));
    let incoming: CallView | undefined;
    bob.core.subscribe((name, payload) => {
      if (name === 'call.incoming') incoming = payload as CallView;
    });
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => incoming, { timeout: 5000 }).toBeDefined();
    await expect.poll(() => bobDriver.sinks.length, { timeout: 3000 }).toBe(1);
    await expect.poll(() => aliceDriver.sinks.length, { timeout: 3000 }).toBe(1);
    expect(presenceAt(aliceDriver.sinks[0]!.frames, 425)).toBeGreaterThan(0.9);
    expect(bobDriver.sinks[0]!.frames.some((f) => f.some((s) => s !== 0))).toBe(true);

    await bob.core.handlers['calls.answer']({ callId: incoming!.id });
    await expect.poll(() => bobDriver.sinks[0]!.stopped && aliceDriver.sinks[0]!.stopped, { timeout: 3000 }).toBe(true);
    await alice.core.handlers['calls.hangup']({ callId: call.id });
  });

  it('a refused call sounds busy', async () => {
    const aliceDriver = new CapturingDriver();
    const alice = await testCore({ audio: { driver: aliceDriver } });
    const bob = await testCore({ audio: { driver: new CapturingDriver() } });
    await bob.core.handlers['accounts.add'](accountFields({ user: 'bob', domain: `127.0.0.1:${udpPort(alice.core)}`, register: false, srtp: 'off' }));
    await alice.core.handlers['accounts.add'](accountFields({ user: 'alice', domain: `127.0.0.1:${udpPort(bob.core)}`, register: false, srtp: 'off' }));
    let incoming: CallView | undefined;
    bob.core.subscribe((name, payload) => {
      if (name === 'call.incoming') incoming = payload as CallView;
    });
    await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => incoming, { timeout: 5000 }).toBeDefined();
    await bob.core.handlers['calls.reject']({ callId: incoming!.id, code: 486 });
    // Ringback, then the busy tone (E.180 EU busy: 425 Hz).
    await expect.poll(() => aliceDriver.sinks.length, { timeout: 3000 }).toBe(2);
    expect(presenceAt(aliceDriver.sinks[1]!.frames, 425)).toBeGreaterThan(0.5);
  });
});
