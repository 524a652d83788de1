/**
 * Calls through the whole core, as the UI drives them: the contract's `calls.*` requests and
 * `call.state` / `call.incoming` events, our phone registered as eve at the lab's Kamailio,
 * baresip bob as the other phone. DNS is a stub pointing lab.test at the lab.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallView } from '../../shared/model.js';
import type { Core } from '../../main/core/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../main/core/index.js';
import { startBaresip, type Baresip } from './lab/baresip.js';
import { startKamailio, type Kamailio } from './lab/kamailio.js';
import { accountFields } from '../helpers/account-fields.js';
import { labCoreOptions } from './lab/core.js';

let kamailio: Kamailio;
let bob: Baresip;
let core: Core;
const events: { name: string; call: CallView }[] = [];

beforeAll(async () => {
  kamailio = await startKamailio();
  bob = await startBaresip({ user: 'bob', kamailio, answerMode: 'auto' });
});
afterAll(async () => {
  await core.close();
  await bob.stop();
  await kamailio.stop();
});

beforeAll(async () => {
  core = await createCore(labCoreOptions(kamailio, mkdtempSync(join(tmpdir(), 'phone-calls-'))));
  core.subscribe((name, payload) => {
    if (name === 'call.state' || name === 'call.incoming') events.push({ name, call: payload as CallView });
  });
  await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', transport: 'udp', registerExpires: 300, register: true, enabled: true }));
  for (let i = 0; i < 100 && (await core.handlers['accounts.list']({}))[0]!.status.state !== 'registered'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

const statesOf = (id: string) => events.filter((e) => e.name === 'call.state' && e.call.id === id).map((e) => e.call.state);
const lastOf = (id: string) => events.filter((e) => e.call.id === id).at(-1)?.call;
const until = (id: string, state: CallView['state']) => expect.poll(() => statesOf(id), { timeout: 8000 }).toContain(state);
const nextIncoming = async (after: number) => {
  await expect.poll(() => events.slice(after).some((e) => e.name === 'call.incoming'), { timeout: 8000 }).toBe(true);
  return events.slice(after).find((e) => e.name === 'call.incoming')!.call;
};

describe('calls through the core with baresip', () => {
  it('we call bob, he answers, we hang up', async () => {
    await bob.ctrl.command('answermode', 'auto', { allowFailure: true });
    const call = await core.handlers['calls.dial']({ target: 'bob' });
    expect(call).toMatchObject({ direction: 'outgoing', state: 'calling', remote: { uri: 'sip:bob@lab.test' } });
    await until(call.id, 'established');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    // Our first preference that baresip also has.
    expect(lastOf(call.id)).toMatchObject({ codec: 'opus' });
    expect(lastOf(call.id)!.answeredAt).toBeGreaterThanOrEqual(call.startedAt);
    expect(await core.handlers['calls.list']({})).toEqual([expect.objectContaining({ id: call.id, state: 'established' })]);
    await core.handlers['calls.hangup']({ callId: call.id });
    await until(call.id, 'terminated');
    expect(lastOf(call.id)!.end).toMatchObject({ by: 'local' });
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    expect(await core.handlers['calls.list']({})).toEqual([]);
  });

  it('bob calls us, we see who it is, answer, and he hangs up', async () => {
    const before = events.length;
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const incoming = await nextIncoming(before);
    expect(incoming).toMatchObject({ direction: 'incoming', state: 'incoming' });
    expect(incoming.remote.uri).toContain('bob@');
    await bob.ctrl.waitForEvent('CALL_RINGING', { timeoutMs: 5000 });
    await core.handlers['calls.answer']({ callId: incoming.id });
    await until(incoming.id, 'established');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 5000 });
    await bob.ctrl.command('hangup');
    await until(incoming.id, 'terminated');
    expect(lastOf(incoming.id)!.end).toMatchObject({ by: 'remote' });
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  });

  it('we reject bob with 486, and he sees it', async () => {
    const before = events.length;
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const incoming = await nextIncoming(before);
    await core.handlers['calls.reject']({ callId: incoming.id, code: 486 });
    await until(incoming.id, 'terminated');
    // bob's phone reports the call closed with our status.
    const closed = await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000, match: (e) => JSON.stringify(e).includes('486') });
    expect(JSON.stringify(closed)).toContain('486 Busy Here');
  });

  it('we cancel while bob rings', async () => {
    await bob.ctrl.command('answermode', 'manual');
    const call = await core.handlers['calls.dial']({ target: 'sip:bob@lab.test' });
    await until(call.id, 'ringing');
    await bob.ctrl.waitForEvent('CALL_INCOMING', { timeoutMs: 8000 });
    await core.handlers['calls.hangup']({ callId: call.id });
    await until(call.id, 'terminated');
    expect(lastOf(call.id)!.end).toMatchObject({ code: 487 });
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    await bob.ctrl.command('answermode', 'auto', { allowFailure: true });
  });

  it('is busy for a second caller while in a call, when the account says so', async () => {
    const [account] = await core.handlers['accounts.list']({});
    await core.handlers['accounts.update']({ id: account!.id, changes: { busyWhenInCall: true } });
    for (let i = 0; i < 100 && (await core.handlers['accounts.list']({}))[0]!.status.state !== 'registered'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const alice = await startBaresip({ user: 'alice', kamailio, answerMode: 'manual' });
    try {
      const call = await core.handlers['calls.dial']({ target: 'bob' });
      await until(call.id, 'established');
      const before = events.length;
      await alice.ctrl.command('dial', 'sip:eve@lab.test');
      const closed = await alice.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
      expect(JSON.stringify(closed)).toContain('486');
      expect(events.slice(before).some((e) => e.name === 'call.incoming')).toBe(false);
      await core.handlers['calls.hangup']({ callId: call.id });
      await until(call.id, 'terminated');
      await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    } finally {
      await alice.stop();
      await core.handlers['accounts.update']({ id: account!.id, changes: { busyWhenInCall: false } });
    }
  });
});
