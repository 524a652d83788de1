/**
 * Calls carried over a network change, two phones on loopback: `core.networkChanged()` sends a
 * re-INVITE with our Contact and the media on a fresh port; the call shows "reconnecting" until
 * it is answered, the audio goes on both ways, a held call stays held, a ringing call is carried
 * over once answered, and a peer that lost the dialog (481) ends the call with that reason.
 */
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../../shared/contract.js';
import type { CallStats, CallView, SipLogEntry } from '../../../../shared/model.js';
import { encodeWav, WavFileDriver } from '../../../../main/core/audio/index.js';
import type { Core } from '../../../../main/core/index.js';
import type { UserAgentRole } from '../../../../main/core/phone/signalling.js';
import { createResponse } from '../../../../main/core/sip/messages/create-response.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';
import { tempDir } from '../../../helpers/temp-dir.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Phone {
  readonly core: Core;
  readonly events: { name: EventName; payload: unknown }[];
}

function tone(hz: number): string {
  const path = join(tempDir(), `tone-${hz}.wav`);
  writeFileSync(path, encodeWav({ sampleRate: 8000, channels: 1, samples: Int16Array.from({ length: 8000 * 30 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 8000))) }));
  return path;
}

async function phone(hz: number): Promise<Phone> {
  const { core } = await testCore({ audio: { driver: new WavFileDriver({ input: tone(hz) }), deviceSampleRate: 8000, statsIntervalSeconds: 1, rtpTimeoutSeconds: 0 } });
  const events: Phone['events'] = [];
  core.subscribe((name, payload) => events.push({ name, payload }));
  return { core, events };
}

/** Alice and bob, each an account pointing at the other (no registrar). */
async function pair(srtp: 'off' | 'required' = 'off'): Promise<{ alice: Phone; bob: Phone }> {
  const alice = await phone(500);
  const bob = await phone(1000);
  await bob.core.handlers['accounts.add'](accountFields({ user: 'bob', domain: `127.0.0.1:${udpPort(alice.core)}`, register: false, srtp }));
  await alice.core.handlers['accounts.add'](accountFields({ user: 'alice', domain: `127.0.0.1:${udpPort(bob.core)}`, register: false, srtp }));
  return { alice, bob };
}

const payloads = <N extends EventName>(p: Phone, name: N) => p.events.filter((e) => e.name === name).map((e) => e.payload as EventPayload<N>);
const views = (p: Phone, id: string) => payloads(p, 'call.state').filter((v: CallView) => v.id === id);
const last = (p: Phone, id: string) => views(p, id).at(-1)!;
const packetsReceived = (p: Phone) => (payloads(p, 'call.stats').at(-1) as CallStats | undefined)?.packetsReceived ?? 0;
const invitesSent = (p: Phone) => payloads(p, 'log.sip').filter((e: SipLogEntry) => e.direction === 'out' && e.firstLine.startsWith('INVITE '));
const audioPort = (entry: SipLogEntry) => Number(/^m=audio (\d+) /m.exec(entry.text)![1]);

async function incomingOf(p: Phone): Promise<CallView> {
  await expect.poll(() => payloads(p, 'call.incoming').length, { timeout: 5000 }).toBeGreaterThan(0);
  return payloads(p, 'call.incoming').at(-1)!;
}

/** Alice calls bob and he answers; both hear each other. */
async function established(srtp: 'off' | 'required' = 'off'): Promise<{ alice: Phone; bob: Phone; call: CallView; bobCall: CallView }> {
  const { alice, bob } = await pair(srtp);
  const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
  const bobCall = await incomingOf(bob);
  await bob.core.handlers['calls.answer']({ callId: bobCall.id });
  await expect.poll(() => last(alice, call.id).state, { timeout: 5000 }).toBe('established');
  await expect.poll(() => Math.min(packetsReceived(alice), packetsReceived(bob)), { timeout: 5000 }).toBeGreaterThan(10);
  return { alice, bob, call, bobCall };
}

/** Whether a UDP port on loopback can be bound again (its owner let it go). */
async function portFree(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  const bound = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => resolve(true));
  });
  socket.close();
  return bound;
}

describe('calls after a network change', () => {
  it('an established call: a re-INVITE moves our media to a new port; reconnecting until its 200; audio goes on both ways', async () => {
    const { alice, bob, call } = await established();
    const [invite] = invitesSent(alice);
    const oldPort = audioPort(invite!);
    alice.core.networkChanged();
    await expect.poll(() => invitesSent(alice).length, { timeout: 3000 }).toBe(2);
    const reinvite = invitesSent(alice)[1]!;
    expect(reinvite.text).toMatch(/^Contact: <sip:alice@127\.0\.0\.1:\d+>/m);
    expect(reinvite.text).toMatch(/^To: .*;tag=/m);
    const newPort = audioPort(reinvite);
    expect(newPort).not.toBe(oldPort);
    expect(reinvite.text).toContain('a=sendrecv');
    // Shown reconnecting, then not once bob's 200 came.
    await expect.poll(() => last(alice, call.id).reconnecting, { timeout: 3000 }).toBeUndefined();
    expect(views(alice, call.id).some((v) => v.reconnecting === true)).toBe(true);
    expect(last(alice, call.id).state).toBe('established');
    const okFromBob = payloads(alice, 'log.sip').filter((e: SipLogEntry) => e.direction === 'in' && e.firstLine.startsWith('SIP/2.0 200') && / INVITE$/m.test(e.text.split('\n').find((l) => l.startsWith('CSeq:')) ?? ''));
    expect(okFromBob).toHaveLength(2);
    // The old port is let go; audio flows on the new one both ways.
    await expect.poll(() => portFree(oldPort), { timeout: 2000 }).toBe(true);
    const [aliceBefore, bobBefore] = [packetsReceived(alice), packetsReceived(bob)];
    await sleep(2200);
    expect(packetsReceived(alice) - aliceBefore, 'alice hears bob on her new port').toBeGreaterThan(50);
    expect(packetsReceived(bob) - bobBefore, 'bob hears alice from her new port').toBeGreaterThan(50);
    expect(await portFree(newPort)).toBe(false);
    await alice.core.handlers['calls.hangup']({ callId: call.id });
    await expect.poll(() => last(alice, call.id).state, { timeout: 3000 }).toBe('terminated');
    expect(last(alice, call.id).end).toMatchObject({ by: 'local' });
  });

  it.each(['required', 'off'] as const)('the callee carries the call over (SRTP %s): its re-INVITE names its new port, the audio goes on both ways', async (srtp) => {
    const { alice, bob, bobCall } = await established(srtp);
    const before = payloads(bob, 'log.sip').filter((e: SipLogEntry) => e.direction === 'out' && e.firstLine.startsWith('SIP/2.0 200') && /^CSeq: \d+ INVITE/m.test(e.text))[0]!;
    bob.core.networkChanged();
    await expect.poll(() => invitesSent(bob).length, { timeout: 3000 }).toBe(1);
    const reinvite = invitesSent(bob)[0]!;
    expect(audioPort(reinvite)).not.toBe(audioPort(before));
    if (srtp === 'required') expect(reinvite.text).toMatch(/^m=audio \d+ RTP\/SAVP /m);
    await expect.poll(() => last(bob, bobCall.id).reconnecting, { timeout: 3000 }).toBeUndefined();
    const [aliceBefore, bobBefore] = [packetsReceived(alice), packetsReceived(bob)];
    await sleep(2200);
    expect(packetsReceived(alice) - aliceBefore, 'alice hears bob from his new port').toBeGreaterThan(50);
    expect(packetsReceived(bob) - bobBefore, 'bob hears alice on his new port').toBeGreaterThan(50);
    expect(payloads(bob, 'call.stats').at(-1)!.srtp).toBe(srtp === 'required');
  });

  it('changes in quick succession are coalesced: the one on the wire and one after it, not one per change', async () => {
    const { alice, call } = await established();
    alice.core.networkChanged();
    alice.core.networkChanged();
    alice.core.networkChanged();
    alice.core.networkChanged();
    await expect.poll(() => last(alice, call.id).reconnecting, { timeout: 3000 }).toBeUndefined();
    await sleep(500);
    // The first change sends at once (no registration to wait for); the three others came while
    // it was on the wire (it may have left by the old network): one more after it, no more.
    expect(invitesSent(alice)).toHaveLength(3);
    // Shown reconnecting once, from the first change to the last 200.
    const flags = views(alice, call.id).map((v) => v.reconnecting === true);
    expect(flags.filter((on, i) => on && !(flags[i - 1] ?? false))).toHaveLength(1);
  });

  it('a held call stays held: the refresh offers sendonly', async () => {
    const { alice, bob, call } = await established();
    await alice.core.handlers['calls.hold']({ callId: call.id, held: true });
    await expect.poll(async () => (await bob.core.handlers['calls.list']({}))[0]?.remoteHeld, { timeout: 3000 }).toBe(true);
    alice.core.networkChanged();
    await expect.poll(() => invitesSent(alice).length, { timeout: 3000 }).toBe(3);
    expect(invitesSent(alice)[2]!.text).toContain('a=sendonly');
    await expect.poll(() => last(alice, call.id).reconnecting, { timeout: 3000 }).toBeUndefined();
    expect(last(alice, call.id).held).toBe(true);
    expect((await bob.core.handlers['calls.list']({}))[0]?.remoteHeld).toBe(true);
  });

  it('a call still ringing is left alone, and carried over once answered', async () => {
    const { alice, bob } = await pair();
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    const incoming = await incomingOf(bob);
    await expect.poll(() => last(alice, call.id).state, { timeout: 3000 }).toBe('ringing');
    alice.core.networkChanged();
    await sleep(300);
    expect(invitesSent(alice)).toHaveLength(1);
    expect(last(alice, call.id).reconnecting).toBeUndefined();
    await bob.core.handlers['calls.answer']({ callId: incoming.id });
    await expect.poll(() => invitesSent(alice).length, { timeout: 3000 }).toBe(2);
    await expect.poll(() => last(alice, call.id).reconnecting, { timeout: 3000 }).toBeUndefined();
    expect(views(alice, call.id).some((v) => v.reconnecting === true)).toBe(true);
    expect(last(alice, call.id).state).toBe('established');
  });

  it('a re-INVITE the peer refuses (488) leaves the call as it was: on its old port, audio both ways', async () => {
    const { alice, bob, call } = await established();
    const oldPort = audioPort(invitesSent(alice)[0]!);
    // Bob's phone refuses every re-INVITE; the rest goes to his calls as before.
    const calls = (bob.core.signalling as unknown as { userAgent: UserAgentRole }).userAgent;
    bob.core.signalling.attachUserAgent({
      receiveRequest: (request, transaction) => (request.method === 'INVITE' ? transaction.respond(createResponse(request, 488)) : calls.receiveRequest(request, transaction)),
      receiveAck: (ack, source) => calls.receiveAck?.(ack, source),
      receiveStrayResponse: (response, source) => calls.receiveStrayResponse?.(response, source),
    });
    alice.core.networkChanged();
    await expect.poll(() => invitesSent(alice).length, { timeout: 3000 }).toBe(2);
    const newPort = audioPort(invitesSent(alice)[1]!);
    await expect.poll(() => last(alice, call.id).reconnecting, { timeout: 3000 }).toBeUndefined();
    expect(last(alice, call.id).state).toBe('established');
    // The offered port is let go, the old one still ours and carrying the call.
    await expect.poll(() => portFree(newPort), { timeout: 2000 }).toBe(true);
    expect(await portFree(oldPort)).toBe(false);
    const [aliceBefore, bobBefore] = [packetsReceived(alice), packetsReceived(bob)];
    await sleep(2200);
    expect(packetsReceived(alice) - aliceBefore).toBeGreaterThan(50);
    expect(packetsReceived(bob) - bobBefore).toBeGreaterThan(50);
    // A later offer names the old port again (the refused one is forgotten).
    await alice.core.handlers['calls.hold']({ callId: call.id, held: true }).catch(() => undefined);
    await expect.poll(() => invitesSent(alice).length, { timeout: 3000 }).toBe(3);
    expect(audioPort(invitesSent(alice)[2]!)).toBe(oldPort);
  });

  it('a peer that lost the dialog (481) ends the call, "lost in a network change"', async () => {
    const { alice, bob, call } = await established();
    // Bob restarted behind our back: every request in the old dialog is unknown to him.
    bob.core.signalling.attachUserAgent({ receiveRequest: (request, transaction) => transaction.respond(createResponse(request, 481)) });
    alice.core.networkChanged();
    await expect.poll(() => last(alice, call.id).state, { timeout: 5000 }).toBe('terminated');
    expect(last(alice, call.id).end).toMatchObject({ by: 'error', code: 481 });
    expect(last(alice, call.id).end!.reason).toMatch(/^lost in a network change/);
    expect(last(alice, call.id).reconnecting).toBeUndefined();
    const history = await alice.core.handlers['history.list']({ filter: 'all', limit: 10 });
    expect(JSON.stringify(history)).toContain('lost in a network change');
  });
});
