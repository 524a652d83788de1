/**
 * Instant messages between two phones on loopback (RFC 3428), typing indication (RFC 3994),
 * and the answers to messages we cannot take: wrong type (415), not UTF-8 (400), too big (413).
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import type { MessageView, TypingState } from '../../../../shared/model.js';
import { NullDriver } from '../../../../main/core/audio/index.js';
import type { Core } from '../../../../main/core/index.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';
import { tempDir } from '../../../helpers/temp-dir.js';


interface Phone {
  core: Core;
  messages: MessageView[];
  typing: TypingState[];
  dataDir: string;
}

async function phone(dataDir = tempDir()): Promise<Phone> {
  const { core } = await testCore({ dataDir, audio: { driver: new NullDriver() } });
  const messages: MessageView[] = [];
  const typing: TypingState[] = [];
  core.subscribe((name, payload) => {
    if (name === 'message') messages.push(payload as MessageView);
    if (name === 'message.typing') typing.push(payload as TypingState);
  });
  return { core, messages, typing, dataDir };
}

async function pair(): Promise<[Phone, Phone]> {
  const [alice, bob] = await Promise.all([phone(), phone()]);
  await alice.core.handlers['accounts.add'](accountFields({ user: 'alice', domain: `127.0.0.1:${udpPort(bob.core)}`, register: false }));
  await bob.core.handlers['accounts.add'](accountFields({ user: 'bob', domain: `127.0.0.1:${udpPort(alice.core)}`, register: false }));
  return [alice, bob];
}

/** Sends one raw MESSAGE to `core` over UDP and returns the status line of its answer. */
async function rawMessage(core: Core, contentType: string, body: Buffer): Promise<string> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  const head = [
    `MESSAGE sip:bob@127.0.0.1:${udpPort(core)} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${Math.random().toString(36).slice(2)}`,
    'Max-Forwards: 70',
    `From: <sip:mallory@127.0.0.1:${port}>;tag=m1`,
    'To: <sip:bob@127.0.0.1>',
    `Call-ID: ${Math.random().toString(36).slice(2)}`,
    'CSeq: 1 MESSAGE',
    `Content-Type: ${contentType}`,
    `Content-Length: ${body.length}`,
    '',
    '',
  ].join('\r\n');
  const answer = new Promise<string>((resolve) => socket.once('message', (data) => resolve(data.toString('latin1').split('\r\n')[0]!)));
  socket.send(Buffer.concat([Buffer.from(head, 'latin1'), body]), udpPort(core), '127.0.0.1');
  const line = await Promise.race([answer, new Promise<string>((resolve) => setTimeout(() => resolve('no answer'), 3000))]);
  socket.close();
  return line;
}

describe('instant messages', () => {
  it('alice writes to bob: delivered (200), bob sees it with its sender, both keep the conversation', async () => {
    const [alice, bob] = await pair();
    const sent = await alice.core.handlers['messages.send']({ to: 'bob', text: 'Grüße — 你好 🙂' });
    expect(sent).toMatchObject({ direction: 'outgoing', state: 'sending', text: 'Grüße — 你好 🙂' });
    await expect.poll(() => alice.messages.at(-1)?.state, { timeout: 3000 }).toBe('delivered');
    expect(alice.messages.at(-1)).toMatchObject({ id: sent.id, code: 200 });
    await expect.poll(() => bob.messages.length, { timeout: 3000 }).toBe(1);
    expect(bob.messages[0]).toMatchObject({ direction: 'incoming', state: 'received', text: 'Grüße — 你好 🙂', peer: 'sip:alice@' + bob.messages[0]!.peer.split('@')[1] });
    expect(await bob.core.handlers['messages.list']({ peer: bob.messages[0]!.peer, limit: 10 })).toEqual([bob.messages[0]]);
    const history = await alice.core.handlers['messages.list']({ limit: 10 });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ id: sent.id, state: 'delivered' });
  });

  it('a message nobody takes fails with the status and reason', async () => {
    const [alice] = await pair();
    const sent = await alice.core.handlers['messages.send']({ to: 'nobody', text: 'hello?' });
    await expect.poll(() => alice.messages.filter((m) => m.id === sent.id).at(-1)?.state, { timeout: 3000 }).toBe('failed');
    expect(alice.messages.at(-1)).toMatchObject({ code: 404 });
  });

  it('typing: bob sees alice typing, then not once her message comes', async () => {
    const [alice, bob] = await pair();
    await alice.core.handlers['messages.typing']({ to: 'bob', active: true });
    await expect.poll(() => bob.typing.at(-1)?.active, { timeout: 3000 }).toBe(true);
    await alice.core.handlers['messages.send']({ to: 'bob', text: 'done' });
    await expect.poll(() => bob.typing.at(-1)?.active, { timeout: 3000 }).toBe(false);
    await alice.core.handlers['messages.typing']({ to: 'bob', active: true });
    await expect.poll(() => bob.typing.at(-1)?.active, { timeout: 3000 }).toBe(true);
    await alice.core.handlers['messages.typing']({ to: 'bob', active: false });
    await expect.poll(() => bob.typing.at(-1)?.active, { timeout: 3000 }).toBe(false);
  });

  it('refuses what it cannot take, and goes on', async () => {
    const [, bob] = await pair();
    expect(await rawMessage(bob.core, 'text/html', Buffer.from('<b>hi</b>'))).toBe('SIP/2.0 415 Unsupported Media Type');
    expect(await rawMessage(bob.core, 'text/plain;charset=UTF-8', Buffer.from([0xc3, 0x28]))).toMatch(/^SIP\/2\.0 400 /);
    expect(await rawMessage(bob.core, 'text/plain', Buffer.alloc(20000, 0x61))).toMatch(/^SIP\/2\.0 413 /);
    expect(await rawMessage(bob.core, 'application/im-iscomposing+xml', Buffer.from('<x/>'))).toMatch(/^SIP\/2\.0 400 /);
    expect(bob.messages).toEqual([]);
    expect(await rawMessage(bob.core, 'text/plain', Buffer.from('<script>alert(1)</script>'))).toBe('SIP/2.0 200 OK');
    // Stored and shown as the text it is.
    await expect.poll(() => bob.messages.at(-1)?.text, { timeout: 3000 }).toBe('<script>alert(1)</script>');
  });

  it('conversations survive a restart', async () => {
    const dataDir = tempDir();
    const bob = await phone();
    const alice = await phone(dataDir);
    await alice.core.handlers['accounts.add'](accountFields({ user: 'alice', domain: `127.0.0.1:${udpPort(bob.core)}`, register: false }));
    await bob.core.handlers['accounts.add'](accountFields({ user: 'bob', domain: `127.0.0.1:${udpPort(alice.core)}`, register: false }));
    await alice.core.handlers['messages.send']({ to: 'bob', text: 'keep me' });
    await expect.poll(() => alice.messages.at(-1)?.state, { timeout: 3000 }).toBe('delivered');
    await alice.core.close();
    const again = await phone(dataDir);
    expect((await again.core.handlers['messages.list']({ limit: 10 })).map((m) => [m.text, m.state])).toEqual([['keep me', 'delivered']]);
  });
});
