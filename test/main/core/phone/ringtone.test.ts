/**
 * The ringtone preference: incoming calls ring with the ringtone the user chose (a built-in one,
 * rendered when the host has no assets folder, or the plain ring tone), and the preview plays it
 * on the ringer for a few seconds. A capturing driver records what each sound played.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallView, RingtoneName } from '../../../../shared/model.js';
import { CallSounds } from '../../../../main/core/phone/call-sounds.js';
import { silentLogger } from '../../../../main/core/log.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';
import { CapturingDriver, presenceAt, type CapturedSink } from '../../../helpers/capturing-driver.js';

/** How much of what a sink played is at `hz` (0–1). */
function presence(opened: CapturedSink | undefined, hz: number): number {
  return presenceAt(opened?.frames ?? [], hz);
}

/** Each ringtone's tell-tale frequency: the trill's 1000 Hz, the chime's first bell (E5), the US ring's 440 Hz. */
const signature: Record<RingtoneName, number> = { classic: 1000, internal: 880, chime: 660, tone: 440 };

describe('the chosen ringtone', () => {
  it.each([
    { ringtonesDir: undefined, where: 'rendered (no assets folder)' },
    { ringtonesDir: join(import.meta.dirname, '../../../../assets/ringtones'), where: 'from the assets folder' },
  ])('rings with each ringtone, $where', async ({ ringtonesDir }) => {
    for (const name of ['classic', 'chime', 'internal', 'tone'] as const) {
      const driver = new CapturingDriver();
      const sounds = new CallSounds(driver, { region: 'eu', ...(ringtonesDir === undefined ? {} : { ringtonesDir }), ringtone: () => name }, silentLogger);
      await (await sounds.ring('ringer-1', undefined))!.stop();
      const others = Object.entries(signature).filter(([other]) => other !== name);
      expect(presence(driver.sinks[0], signature[name]), name).toBeGreaterThan(0.2);
      for (const [other, hz] of others) expect(presence(driver.sinks[0], hz), `${name} is not ${other}`).toBeLessThan(0.05);
    }
  });

  it('still lets Alert-Info choose a distinctive ring for one call', async () => {
    const driver = new CapturingDriver();
    const sounds = new CallSounds(driver, { region: 'eu', ringtone: () => 'chime' }, silentLogger);
    await (await sounds.ring(undefined, '<urn:alert:service:normal>;info=Bellcore-dr2'))!.stop();
    expect(presence(driver.sinks[0], 660)).toBeLessThan(0.05);
  });

  it('the preview plays on the ringer, stops by itself, and a new preview stops the last', async () => {
    const driver = new CapturingDriver();
    const sounds = new CallSounds(driver, { region: 'eu' }, silentLogger);
    expect(await sounds.preview('ringer-1', 'chime', 50)).toBe(true);
    expect(driver.sinks[0]?.deviceId).toBe('ringer-1');
    expect(presence(driver.sinks[0], 660)).toBeGreaterThan(0.2);
    await expect.poll(() => driver.sinks[0]?.stopped, { timeout: 2000 }).toBe(true);
    await sounds.preview('ringer-1', 'tone', 10_000);
    await sounds.preview('ringer-1', 'classic', 10_000);
    expect(driver.sinks[1]?.stopped).toBe(true);
    expect(driver.sinks[2]?.stopped).toBe(false);
  });

  it('a call rings with the ringtone set through the contract; a bad name is refused', async () => {
    const aliceDriver = new CapturingDriver();
    const bobDriver = new CapturingDriver();
    const alice = await testCore({ audio: { driver: aliceDriver } });
    const bob = await testCore({ audio: { driver: bobDriver } });
    expect((await bob.core.handlers['preferences.get']({})).ringtone).toBe('classic');
    await bob.core.handlers['preferences.set']({ ringtone: 'tone' });
    expect(await bob.bridge.invoke('preferences.set', { ringtone: 'bells' })).toMatchObject({ ok: false, error: { code: 'invalid_params', field: 'ringtone' } });

    await bob.core.handlers['accounts.add'](accountFields({ user: 'bob', domain: `127.0.0.1:${udpPort(alice.core)}`, register: false, srtp: 'off' }));
    await alice.core.handlers['accounts.add'](accountFields({ user: 'alice', domain: `127.0.0.1:${udpPort(bob.core)}`, register: false, srtp: 'off' }));
    let incoming: CallView | undefined;
    bob.core.subscribe((name, payload) => {
      if (name === 'call.incoming') incoming = payload as CallView;
    });
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => incoming, { timeout: 5000 }).toBeDefined();
    await expect.poll(() => bobDriver.sinks.length, { timeout: 3000 }).toBe(1);
    expect(presence(bobDriver.sinks[0], 440)).toBeGreaterThan(0.2);
    expect(presence(bobDriver.sinks[0], 1000)).toBeLessThan(0.05);

    // The preview through the contract plays on the ringer too.
    expect(await bob.core.handlers['preferences.previewRingtone']({ ringtone: 'chime' })).toEqual({ played: true });
    expect(presence(bobDriver.sinks.at(-1), 660)).toBeGreaterThan(0.2);
    await alice.core.handlers['calls.hangup']({ callId: call.id });
  });
});
