/**
 * An account's numbering (country, dial plan) applies wherever a number is a target, as it does
 * to calls: a message's recipient, a watched number (presence, busy lamp) and a forwarding target
 * all become the URI that dialling the number would call. Phones on loopback, accounts in Germany.
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import type { AccountFieldsInput, MessageView } from '../../../../shared/model.js';
import { NullDriver } from '../../../../main/core/audio/index.js';
import type { Core } from '../../../../main/core/index.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';

async function phone(): Promise<{ core: Core; messages: MessageView[] }> {
  const { core } = await testCore({ audio: { driver: new NullDriver(), rtpTimeoutSeconds: 0 } });
  const messages: MessageView[] = [];
  core.subscribe((name, payload) => {
    if (name === 'message') messages.push(payload as MessageView);
  });
  return { core, messages };
}

const germany = (user: string, domain: string, fields: Partial<AccountFieldsInput> = {}) =>
  accountFields({ user, domain, register: false, srtp: 'off', defaultCountry: 'DE', ...fields });

/** Sends an INVITE to `core` from a bare UDP socket and returns the Contact of its 3xx answer. */
async function redirectContact(core: Core, user: string): Promise<string | undefined> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  const invite = [
    `INVITE sip:${user}@127.0.0.1:${udpPort(core)} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${Math.random().toString(36).slice(2)}`,
    'Max-Forwards: 70',
    `From: <sip:caller@127.0.0.1:${port}>;tag=c1`,
    `To: <sip:${user}@127.0.0.1>`,
    `Call-ID: ${Math.random().toString(36).slice(2)}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:caller@127.0.0.1:${port}>`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const answer = new Promise<string | undefined>((resolve) => {
    socket.on('message', (data) => {
      const text = data.toString('latin1');
      if (/^SIP\/2\.0 3\d\d/.test(text)) resolve(/^(?:Contact|m):\s*(.+)$/im.exec(text)?.[1]?.trim());
    });
  });
  socket.send(invite, udpPort(core), '127.0.0.1');
  try {
    return await Promise.race([answer, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 3000))]);
  } finally {
    socket.close();
  }
}

describe('the dial plan beyond calls', () => {
  it('a message to 040 123 45 67 goes to +49401234567, as a call to it would', async () => {
    const [alice, bob] = await Promise.all([phone(), phone()]);
    const bobAt = `127.0.0.1:${udpPort(bob.core)}`;
    await alice.core.handlers['accounts.add'](germany('+493012345', bobAt));
    await bob.core.handlers['accounts.add'](germany('+49401234567', `127.0.0.1:${udpPort(alice.core)}`));
    const sent = await alice.core.handlers['messages.send']({ to: '040 / 123 45 67', text: 'Moin' });
    expect(sent.peer).toBe(`sip:+49401234567@${bobAt}`);
    await expect.poll(() => bob.messages.find((m) => m.direction === 'incoming')?.text, { timeout: 5000 }).toBe('Moin');
    await expect.poll(() => alice.messages.at(-1)?.state, { timeout: 5000 }).toBe('delivered');
    // The conversation is found by the number as typed, too.
    expect((await alice.core.handlers['messages.list']({ peer: '040 1234567', limit: 10 })).map((m) => m.text)).toEqual(['Moin']);
    const call = await alice.core.handlers['calls.dial']({ target: '040 / 123 45 67' });
    expect(call.remote.uri).toBe(`sip:+49401234567@${bobAt};user=phone`);
    await alice.core.handlers['calls.hangup']({ callId: call.id });
  });

  it('a watched number is the URI the account would dial (an outside line and national format), an extension as typed', async () => {
    const { core } = await phone();
    const plan = { outsideLine: '0', format: 'national' as const, internalMaxDigits: 4 };
    await core.handlers['accounts.add'](germany('201', 'pbx.example', { dialPlan: plan }));
    const watched = await core.handlers['presence.watch']({ uri: '+49 30 1234567', presence: false, blf: true });
    expect(watched.uri).toBe('sip:00301234567@pbx.example');
    expect((await core.handlers['presence.watch']({ uri: '202', presence: true, blf: true })).uri).toBe('sip:202@pbx.example');
    expect((await core.handlers['presence.get']({})).watched.map((w) => w.uri).sort()).toEqual(['sip:00301234567@pbx.example', 'sip:202@pbx.example']);
    // Unwatched by the number as typed (the same normalisation finds it).
    await core.handlers['presence.unwatch']({ uri: '+49 30 1234567' });
    expect((await core.handlers['presence.get']({})).watched.map((w) => w.uri)).toEqual(['sip:202@pbx.example']);
  });

  it('a forwarding target written as a German number (030-12345) is sent (302 Contact) as E.164, as it would be dialled', async () => {
    const { core } = await phone();
    await core.handlers['accounts.add'](germany('bob', 'pbx.example', { forwardAlways: '030-12345' }));
    expect(await redirectContact(core, 'bob')).toBe('<sip:+493012345@pbx.example;user=phone>');
  });
});
