/**
 * Numbers between two phones on loopback, each account in Germany: alice dials bob's number as
 * Germans write it and the INVITE goes to +49…; bob's phone names alice from a contact stored
 * as 030 …, though her number arrives as +4930….
 */
import { describe, expect, it } from 'vitest';
import type { CallView } from '../../../../shared/model.js';
import { NullDriver } from '../../../../main/core/audio/index.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';

describe('numbers in calls', () => {
  it('alice dials 040 1234567, bob sees "Alice (030)" from his contacts (a number too short for a last-digits match)', async () => {
    const [alice, bob] = await Promise.all([1, 2].map(() => testCore({ audio: { driver: new NullDriver(), rtpTimeoutSeconds: 0 } })));
    const incoming: CallView[] = [];
    bob!.core.subscribe((name, payload) => {
      if (name === 'call.incoming') incoming.push(payload as CallView);
    });
    await alice!.core.handlers['accounts.add'](accountFields({ user: '+493012345', domain: `127.0.0.1:${udpPort(bob!.core)}`, register: false, srtp: 'off', defaultCountry: 'DE' }));
    await bob!.core.handlers['accounts.add'](accountFields({ user: '+49401234567', domain: `127.0.0.1:${udpPort(alice!.core)}`, register: false, srtp: 'off', defaultCountry: 'DE' }));
    await bob!.core.handlers['contacts.add']({ name: 'Alice (030)', addresses: [{ kind: 'phone', value: '030 12345' }], favourite: false, presence: false, blf: false });

    const call = await alice!.core.handlers['calls.dial']({ target: '040 / 123 45 67' });
    expect(call.remote.uri).toBe(`sip:+49401234567@127.0.0.1:${udpPort(bob!.core)};user=phone`);
    await expect.poll(() => incoming.length, { timeout: 5000 }).toBe(1);
    expect(incoming[0]!.contact?.name).toBe('Alice (030)');
    await alice!.core.handlers['calls.hangup']({ callId: call.id });
  });
});
