/**
 * Busy lamp field (RFC 4235) through the lab's Kamailio: alice and bob (two baresips) call each
 * other through it, Kamailio's pua_dialoginfo publishes the dialog states it relays to its
 * presence server (presence_dialoginfo), and we — watching bob's line — see it ring, go in
 * call and go idle again; then we pick up a call ringing at bob (INVITE with Replaces to the
 * caller — checked against the dialog Kamailio relays, as baresip 1.0 cannot be replaced).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallView, WatchedEntity } from '../../shared/model.js';
import { createCore, type Core } from '../../main/core/index.js';
import { accountFields } from '../helpers/account-fields.js';
import { startBaresip, type Baresip } from './lab/baresip.js';
import { startKamailio, type Kamailio } from './lab/kamailio.js';
import { labCoreOptions } from './lab/core.js';

let kamailio: Kamailio;
let alice: Baresip;
let bob: Baresip;
let core: Core;
const dir = mkdtempSync(join(tmpdir(), 'blf-interop-'));
const contacts: WatchedEntity[] = [];
const calls: CallView[] = [];
const sipLog: { direction: string; text: string }[] = [];

beforeAll(async () => {
  kamailio = await startKamailio();
  alice = await startBaresip({ user: 'alice', kamailio, answerMode: 'manual', publishInterval: 0 });
  bob = await startBaresip({ user: 'bob', kamailio, answerMode: 'manual', publishInterval: 0 });
  core = await createCore(labCoreOptions(kamailio, dir));
  core.subscribe((name, payload) => {
    if (name === 'presence.contact') contacts.push(payload as WatchedEntity);
    if (name === 'call.state') calls.push(payload as CallView);
    if (name === 'log.sip') sipLog.push(payload as { direction: string; text: string });
  });
  await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', publishPresence: false, messageWaiting: false }));
  for (let i = 0; i < 160 && (await core.handlers['accounts.list']({}))[0]!.status.state !== 'registered'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
});
afterAll(async () => {
  if (process.env['PRESENCE_DEBUG'] !== undefined) for (const e of sipLog) if (/dialog|Replaces/i.test(e.text)) console.log(e.direction, e.text);
  await core?.close();
  await alice?.stop();
  await bob?.stop();
  await kamailio?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const bobLine = () => contacts.filter((c) => c.uri === 'sip:bob@lab.test').at(-1)?.line;

describe('busy lamp with Kamailio dialog-info', () => {
  it('we watch bob: idle, ringing while alice calls him, in-call once he answers, idle after', async () => {
    await core.handlers['presence.watch']({ uri: 'bob', presence: false, blf: true });
    await expect.poll(bobLine, { timeout: 8000 }).toBe('idle');
    await alice.ctrl.command('dial', 'sip:bob@lab.test');
    await bob.ctrl.waitForEvent('CALL_INCOMING', { timeoutMs: 5000 });
    await expect.poll(bobLine, { timeout: 8000 }).toBe('ringing');
    await bob.ctrl.command('accept');
    await expect.poll(bobLine, { timeout: 8000 }).toBe('in-call');
    expect(contacts.filter((c) => c.uri === 'sip:bob@lab.test').at(-1)!.status).toBe('on-the-phone');
    await alice.ctrl.command('hangup');
    await expect.poll(bobLine, { timeout: 8000 }).toBe('idle');
  });

  it('pickup of a call ringing at bob: INVITE to the caller with Replaces naming its early dialog', async () => {
    // baresip 1.0 has no Replaces support (it would take our INVITE as a new call), so this
    // checks what we send against the dialog Kamailio relays: the caller's own tags.
    alice.ctrl.clearEvents();
    bob.ctrl.clearEvents();
    await alice.ctrl.command('dial', 'sip:bob@lab.test');
    await bob.ctrl.waitForEvent('CALL_INCOMING', { timeoutMs: 5000 });
    await expect.poll(bobLine, { timeout: 8000 }).toBe('ringing');
    expect(contacts.filter((c) => c.uri === 'sip:bob@lab.test').at(-1)!.pickup).toBe(true);
    const dialogs = await kamailio.kamcmd('dlg.list');
    const call = await core.handlers['presence.pickup']({ uri: 'sip:bob@lab.test' });
    expect(call.direction).toBe('outgoing');
    const invite = () => sipLog.find((e) => e.direction === 'out' && /^INVITE /.test(e.text) && /^Replaces: /im.test(e.text))?.text ?? '';
    await expect.poll(invite, { timeout: 5000 }).toMatch(/^Replaces: [^\r\n]*;early-only/im);
    const text = invite();
    // To alice's phone (its Contact, from dialog-info's remote target).
    expect(text).toMatch(/^INVITE sip:alice-[^@]+@127\.0\.0\.1:\d+ SIP\/2\.0/);
    const [, callId, toTag] = /^Replaces: ([^;\r\n]+);to-tag=([^;\r\n]+);from-tag=[^;\r\n]+/im.exec(text)!;
    // RFC 3891 §3: to-tag is the receiver's local tag — alice's, the caller's From tag, as
    // Kamailio's dialog module recorded it (it has no callee tag before the answer).
    expect(dialogs).toMatch(new RegExp(`call-id: ${callId!}[\\s\\S]*?caller: \\{\\s*tag: ${toTag!}`));
    await core.handlers['calls.hangup']({ callId: call.id });
    await alice.ctrl.command('hangup', undefined, { allowFailure: true });
  });

  it('pickup for real when the caller is our phone: it takes our INVITE with Replaces in place of its call to bob, whose phone stops ringing', async () => {
    const dave = await createCore(labCoreOptions(kamailio, mkdtempSync(join(dir, 'dave-'))));
    try {
      const daveCalls: CallView[] = [];
      dave.subscribe((name, payload) => {
        if (name === 'call.state') daveCalls.push(payload as CallView);
      });
      await dave.handlers['accounts.add'](accountFields({ user: 'dave', domain: 'lab.test', password: 'davepass', publishPresence: false, messageWaiting: false }));
      await expect.poll(async () => (await dave.handlers['accounts.list']({}))[0]!.status.state, { timeout: 8000 }).toBe('registered');
      // Whatever the last test left ringing at bob or alice ends first.
      for (const phone of [alice, bob, alice, bob]) await phone.ctrl.command('hangup', undefined, { allowFailure: true });
      await expect.poll(bobLine, { timeout: 15_000 }).toBe('idle');
      bob.ctrl.clearEvents();
      const ringing = await dave.handlers['calls.dial']({ target: 'bob' });
      await bob.ctrl.waitForEvent('CALL_INCOMING', { timeoutMs: 5000 });
      await expect.poll(bobLine, { timeout: 8000 }).toBe('ringing');
      const picked = await core.handlers['presence.pickup']({ uri: 'sip:bob@lab.test' });
      // Our call to dave comes up; dave's call to bob is cancelled, and bob's phone stops ringing.
      await expect.poll(() => calls.filter((c) => c.id === picked.id).at(-1)?.state, { timeout: 8000 }).toBe('established');
      await expect.poll(() => daveCalls.filter((c) => c.id === ringing.id).at(-1)?.state, { timeout: 8000 }).toBe('terminated');
      await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 8000 });
      const daveNow = await dave.handlers['calls.list']({});
      expect(daveNow).toEqual([expect.objectContaining({ direction: 'incoming', state: 'established' })]);
      await core.handlers['calls.hangup']({ callId: picked.id });
    } finally {
      await dave.close();
    }
  });
});
