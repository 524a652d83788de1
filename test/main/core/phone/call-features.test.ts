/**
 * Call features between phones on loopback (no proxy): forwarding always and on no answer
 * (302, followed by the caller), auto-answer, being transferred with the `ask` policy, and
 * six lines at once with one active. The same features against baresip and Kamailio are in
 * test/interop/call-features.test.ts.
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import type { AccountFieldsInput, CallView } from '../../../../shared/model.js';
import { NullDriver } from '../../../../main/core/audio/index.js';
import type { Core } from '../../../../main/core/index.js';
import { autoAnswerDelay } from '../../../../main/core/phone/calls.js';
import { SipRequest } from '../../../../main/core/sip/messages/index.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';


interface Phone {
  readonly core: Core;
  readonly user: string;
  readonly uri: string;
  readonly views: CallView[];
  readonly incoming: CallView[];
  last(id: string): CallView | undefined;
}

async function phone(user: string): Promise<Phone> {
  const { core } = await testCore({ audio: { driver: new NullDriver(), rtpTimeoutSeconds: 0 } });
  const views: CallView[] = [];
  const incoming: CallView[] = [];
  core.subscribe((name, payload) => {
    if (name === 'call.state') views.push(payload as CallView);
    if (name === 'call.incoming') incoming.push(payload as CallView);
  });
  return { core, user, uri: `sip:${user}@127.0.0.1:${udpPort(core)}`, views, incoming, last: (id) => views.filter((v) => v.id === id).at(-1) };
}

/** `p` gets an account that reaches `peer` directly (its domain is the peer's address). */
async function account(p: Phone, peer: Phone, fields: Partial<AccountFieldsInput> = {}): Promise<void> {
  await p.core.handlers['accounts.add'](accountFields({ user: p.user, domain: `127.0.0.1:${udpPort(peer.core)}`, register: false, srtp: 'off', ...fields }));
}

const established = (p: Phone, id: string) => expect.poll(() => p.last(id)?.state, { timeout: 5000 }).toBe('established');

describe('forwarding', () => {
  it('always: the call is answered 302 and the caller reaches the target', async () => {
    const [alice, bob, carol] = await Promise.all([phone('alice'), phone('bob'), phone('carol')]);
    await account(alice, bob);
    await account(carol, alice);
    await account(bob, alice, { forwardAlways: carol.uri });
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => carol.incoming.length, { timeout: 5000 }).toBe(1);
    expect(bob.incoming).toHaveLength(0);
    await carol.core.handlers['calls.answer']({ callId: carol.incoming[0]!.id });
    await established(alice, call.id);
    await alice.core.handlers['calls.hangup']({ callId: call.id });
  });

  it('on no answer: after the configured seconds the ringing call is sent to the target', async () => {
    const [alice, bob, carol] = await Promise.all([phone('alice'), phone('bob'), phone('carol')]);
    await account(alice, bob);
    await account(carol, alice);
    await account(bob, alice, { forwardNoAnswer: carol.uri, forwardNoAnswerSeconds: 5 });
    const started = Date.now();
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(1);
    await expect.poll(() => carol.incoming.length, { timeout: 9000 }).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    // bob's ringing call ended with the redirect.
    await expect.poll(() => bob.last(bob.incoming[0]!.id)?.end?.code, { timeout: 3000 }).toBe(302);
    await carol.core.handlers['calls.answer']({ callId: carol.incoming[0]!.id });
    await established(alice, call.id);
    await alice.core.handlers['calls.hangup']({ callId: call.id });
  });

  it('on busy: refusing as busy forwards instead', async () => {
    const [alice, bob, carol] = await Promise.all([phone('alice'), phone('bob'), phone('carol')]);
    await account(alice, bob);
    await account(carol, alice);
    await account(bob, alice, { forwardBusy: carol.uri });
    await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(1);
    await bob.core.handlers['calls.reject']({ callId: bob.incoming[0]!.id, code: 486 });
    await expect.poll(() => carol.incoming.length, { timeout: 5000 }).toBe(1);
  });
});

describe('auto-answer', () => {
  it('answers every call after the configured delay, and says when', async () => {
    const [alice, bob] = await Promise.all([phone('alice'), phone('bob')]);
    await account(alice, bob);
    await account(bob, alice, { autoAnswer: 'all', autoAnswerDelaySeconds: 1 });
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(1);
    const ringing = bob.incoming[0]!;
    expect(ringing.autoAnswerAt).toBeGreaterThan(Date.now() + 500);
    await established(alice, call.id);
    expect(bob.last(ringing.id)!.autoAnswerAt).toBeUndefined();
    await alice.core.handlers['calls.hangup']({ callId: call.id });
  });

  it('intercom: only calls marked for auto-answer (RFC 5373 Answer-Mode, Call-Info answer-after, Alert-Info)', () => {
    const request = (headers: [string, string][]) =>
      new SipRequest({
        method: 'INVITE',
        uri: 'sip:bob@127.0.0.1',
        headers: [['Via', 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1'], ['From', '<sip:a@x>;tag=1'], ['To', '<sip:bob@x>'], ['Call-ID', 'c'], ['CSeq', '1 INVITE'], ...headers],
      });
    const intercom = { autoAnswer: 'intercom' as const, autoAnswerDelaySeconds: 2 };
    expect(autoAnswerDelay(intercom, request([]))).toBeUndefined();
    expect(autoAnswerDelay(intercom, request([['Call-Info', '<sip:pbx.example>;answer-after=0']]))).toBe(0);
    expect(autoAnswerDelay(intercom, request([['Call-Info', '<sip:pbx.example>; answer-after = 5']]))).toBe(5);
    expect(autoAnswerDelay(intercom, request([['Answer-Mode', 'Auto']]))).toBe(2);
    expect(autoAnswerDelay(intercom, request([['Alert-Info', '<http://x/>;info=alert-autoanswer']]))).toBe(2);
    expect(autoAnswerDelay(intercom, request([['Alert-Info', 'Intercom']]))).toBe(2);
    expect(autoAnswerDelay({ autoAnswer: 'off', autoAnswerDelaySeconds: 0 }, request([['Answer-Mode', 'Auto']]))).toBeUndefined();
    expect(autoAnswerDelay({ autoAnswer: 'all', autoAnswerDelaySeconds: 3 }, request([]))).toBe(3);
  });
});

describe('being transferred with the ask policy', () => {
  it('the request waits for the user; accepted, we call the target and the old call ends', async () => {
    const [alice, bob, carol] = await Promise.all([phone('alice'), phone('bob'), phone('carol')]);
    await account(alice, bob, { transferPolicy: 'ask' });
    await account(bob, alice);
    await account(carol, alice, { autoAnswer: 'all' });
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(1);
    const bobsCall = bob.incoming[0]!;
    await bob.core.handlers['calls.answer']({ callId: bobsCall.id });
    await established(alice, call.id);
    await bob.core.handlers['calls.transfer']({ callId: bobsCall.id, target: carol.uri });
    await expect.poll(() => alice.last(call.id)?.transferRequest?.target, { timeout: 5000 }).toBe(carol.uri);
    expect(carol.incoming).toHaveLength(0);
    await alice.core.handlers['calls.transferReply']({ callId: call.id, accept: true });
    await expect.poll(() => carol.incoming.length, { timeout: 5000 }).toBe(1);
    const next = alice.views.find((v) => v.transferredFrom === call.id)!;
    await established(alice, next.id);
    await expect.poll(() => bob.last(bobsCall.id)?.transfer?.state, { timeout: 5000 }).toBe('succeeded');
    await expect.poll(() => alice.last(call.id)?.state, { timeout: 5000 }).toBe('terminated');
    await alice.core.handlers['calls.hangup']({ callId: next.id });
  });

  it('refused, the transferor hears 603 and the call comes back off hold', async () => {
    const [alice, bob, carol] = await Promise.all([phone('alice'), phone('bob'), phone('carol')]);
    await account(alice, bob, { transferPolicy: 'ask' });
    await account(bob, alice);
    await account(carol, alice);
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(1);
    const bobsCall = bob.incoming[0]!;
    await bob.core.handlers['calls.answer']({ callId: bobsCall.id });
    await established(alice, call.id);
    await bob.core.handlers['calls.transfer']({ callId: bobsCall.id, target: carol.uri });
    await expect.poll(() => alice.last(call.id)?.transferRequest, { timeout: 5000 }).toBeDefined();
    await alice.core.handlers['calls.transferReply']({ callId: call.id, accept: false });
    await expect.poll(() => bob.last(bobsCall.id)?.transfer, { timeout: 5000 }).toMatchObject({ state: 'failed', code: 603 });
    await expect.poll(() => bob.last(bobsCall.id)?.held, { timeout: 5000 }).toBe(false);
    expect(alice.last(call.id)?.transferRequest).toBeUndefined();
    expect(carol.incoming).toHaveLength(0);
    await alice.core.handlers['calls.hangup']({ callId: call.id });
  });
});

describe('attended transfer between our phones (RFC 3891 Replaces understood)', () => {
  it('bob consults carol and transfers alice to her: carol answers alice in place of bob, bob is left with no calls', async () => {
    const [alice, bob, carol] = await Promise.all([phone('alice'), phone('bob'), phone('carol')]);
    await account(alice, bob);
    await account(bob, alice);
    await account(carol, bob);
    // alice calls bob.
    const first = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(1);
    const bobFirst = bob.incoming[0]!;
    await bob.core.handlers['calls.answer']({ callId: bobFirst.id });
    await established(alice, first.id);
    // bob consults carol (alice is held meanwhile).
    const consult = await bob.core.handlers['calls.dial']({ target: carol.uri });
    await expect.poll(() => carol.incoming.length, { timeout: 5000 }).toBe(1);
    const carolConsult = carol.incoming[0]!;
    await carol.core.handlers['calls.answer']({ callId: carolConsult.id });
    await established(bob, consult.id);
    await expect.poll(() => bob.last(bobFirst.id)?.held, { timeout: 5000 }).toBe(true);
    // bob connects them.
    await bob.core.handlers['calls.transfer']({ callId: bobFirst.id, consultCallId: consult.id });
    // alice calls carol with Replaces; carol takes it at once (no ringing) and ends the consultation.
    await expect.poll(() => carol.incoming.length, { timeout: 5000 }).toBe(2);
    const replacing = carol.incoming[1]!;
    await established(carol, replacing.id);
    await expect.poll(() => carol.last(carolConsult.id)?.state, { timeout: 5000 }).toBe('terminated');
    const aliceNew = alice.views.find((v) => v.transferredFrom === first.id)!;
    await established(alice, aliceNew.id);
    await expect.poll(() => bob.last(bobFirst.id)?.transfer?.state, { timeout: 5000 }).toBe('succeeded');
    await expect.poll(async () => (await bob.core.handlers['calls.list']({})).length, { timeout: 5000 }).toBe(0);
    await expect.poll(async () => (await alice.core.handlers['calls.list']({})).map((v) => v.id), { timeout: 5000 }).toEqual([aliceNew.id]);
    expect((await carol.core.handlers['calls.list']({})).map((v) => v.id)).toEqual([replacing.id]);
    await alice.core.handlers['calls.hangup']({ callId: aliceNew.id });
  });
});

describe('ringing', () => {
  it('an INVITE whose Expires runs out while it rings is answered 480 (RFC 3261 §13.3.1)', async () => {
    const bob = await phone('bob');
    const alice = await phone('alice');
    await account(bob, alice);
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const answers: string[] = [];
    socket.on('message', (data) => answers.push(data.toString('latin1').split('\r\n')[0]!));
    const port = socket.address().port;
    const invite = [
      `INVITE sip:bob@127.0.0.1:${udpPort(bob.core)} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKexpires1`,
      'Max-Forwards: 70',
      `From: <sip:caller@127.0.0.1:${port}>;tag=c1`,
      'To: <sip:bob@127.0.0.1>',
      'Call-ID: expires-1',
      'CSeq: 1 INVITE',
      `Contact: <sip:caller@127.0.0.1:${port}>`,
      'Expires: 1',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    socket.send(Buffer.from(invite), udpPort(bob.core), '127.0.0.1');
    await expect.poll(() => bob.incoming.length, { timeout: 3000 }).toBe(1);
    await expect.poll(() => answers, { timeout: 4000 }).toContain('SIP/2.0 480 Temporarily Unavailable (no answer)');
    expect(bob.last(bob.incoming[0]!.id)?.state).toBe('terminated');
    socket.close();
  });
});

describe('SRTP policy between our phones', () => {
  it.each([
    { caller: 'required', callee: 'off' },
    { caller: 'off', callee: 'required' },
  ] as const)('caller $caller, callee $callee: refused 488, no call set up in plain RTP', async ({ caller, callee }) => {
    const [alice, bob] = await Promise.all([phone('alice'), phone('bob')]);
    await account(alice, bob, { srtp: caller });
    await account(bob, alice, { srtp: callee });
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(1);
    await bob.core.handlers['calls.answer']({ callId: bob.incoming[0]!.id });
    await expect.poll(() => alice.last(call.id)?.end?.code, { timeout: 5000 }).toBe(488);
    expect(alice.views.filter((v) => v.id === call.id).some((v) => v.state === 'established')).toBe(false);
  });

  it('both required: the call is set up on RTP/SAVP', async () => {
    const [alice, bob] = await Promise.all([phone('alice'), phone('bob')]);
    await account(alice, bob, { srtp: 'required' });
    await account(bob, alice, { srtp: 'required' });
    const sdp: string[] = [];
    alice.core.subscribe((name, payload) => {
      if (name === 'log.sip') sdp.push((payload as { text: string }).text);
    });
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(1);
    await bob.core.handlers['calls.answer']({ callId: bob.incoming[0]!.id });
    await established(alice, call.id);
    expect(sdp.filter((t) => /^m=audio /m.test(t)).every((t) => /^m=audio \d+ RTP\/SAVP /m.test(t))).toBe(true);
    await alice.core.handlers['calls.hangup']({ callId: call.id });
  });
});

describe('quitting', () => {
  it('ends calls with BYE before the transports close: the peer sees the call end', async () => {
    const [alice, bob] = await Promise.all([phone('alice'), phone('bob')]);
    await account(alice, bob);
    await account(bob, alice);
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(1);
    await bob.core.handlers['calls.answer']({ callId: bob.incoming[0]!.id });
    await established(alice, call.id);
    await alice.core.close();
    await expect.poll(() => bob.last(bob.incoming[0]!.id)?.end, { timeout: 3000 }).toMatchObject({ by: 'remote' });
  });
});

describe('several lines', () => {
  it('six calls at once: each answer holds the call in progress, one stays active', async () => {
    const [alice, bob] = await Promise.all([phone('alice'), phone('bob')]);
    await account(alice, bob);
    await account(bob, alice);
    const calls: CallView[] = [];
    for (let i = 0; i < 6; i++) {
      calls.push(await alice.core.handlers['calls.dial']({ target: 'bob' }));
      await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(i + 1);
      await bob.core.handlers['calls.answer']({ callId: bob.incoming[i]!.id });
      await established(alice, calls[i]!.id);
    }
    const bobs = await bob.core.handlers['calls.list']({});
    expect(bobs).toHaveLength(6);
    expect(bobs.every((v) => v.state === 'established')).toBe(true);
    expect(bobs.filter((v) => v.held !== true)).toHaveLength(1);
    expect(bobs.find((v) => v.held !== true)!.id).toBe(bob.incoming[5]!.id);
    // Swap to the first: it is the active one now.
    await bob.core.handlers['calls.hold']({ callId: bob.incoming[0]!.id, held: false });
    const after = await bob.core.handlers['calls.list']({});
    expect(after.filter((v) => v.held !== true).map((v) => v.id)).toEqual([bob.incoming[0]!.id]);
    for (const call of calls) await alice.core.handlers['calls.hangup']({ callId: call.id });
    await expect.poll(async () => (await bob.core.handlers['calls.list']({})).length, { timeout: 5000 }).toBe(0);
  });
});
