/**
 * Call history and caller identification between two phones on loopback: each call that ends
 * is written with its outcome; missed calls count until seen; a caller that is a contact is
 * shown by name in the call and in the history.
 */
import { describe, expect, it } from 'vitest';
import type { CallView, HistoryEntry, SipLogEntry } from '../../../../shared/model.js';
import { NullDriver } from '../../../../main/core/audio/index.js';
import type { Core } from '../../../../main/core/index.js';
import { outcomeOf } from '../../../../main/core/phone/history.js';
import { ContractBridge } from '../../../../main/hosts/bridge.js';
import { silentLogger } from '../../../../main/core/log.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';

interface Phone {
  core: Core;
  dataDir: string;
  incoming: CallView[];
  views: CallView[];
  entries: HistoryEntry[];
  missed: number[];
}

async function phone(): Promise<Phone> {
  const { core, dataDir } = await testCore({ audio: { driver: new NullDriver(), rtpTimeoutSeconds: 0 } });
  const p: Phone = { core, dataDir, incoming: [], views: [], entries: [], missed: [] };
  core.subscribe((name, payload) => {
    if (name === 'call.incoming') p.incoming.push(payload as CallView);
    if (name === 'call.state') p.views.push(payload as CallView);
    if (name === 'history.entry') p.entries.push(payload as HistoryEntry);
    if (name === 'history.missed') p.missed.push((payload as { count: number }).count);
  });
  return p;
}

async function pair(): Promise<[Phone, Phone]> {
  const [alice, bob] = await Promise.all([phone(), phone()]);
  await alice.core.handlers['accounts.add'](accountFields({ user: 'alice', domain: `127.0.0.1:${udpPort(bob.core)}`, register: false, srtp: 'off' }));
  await bob.core.handlers['accounts.add'](accountFields({ user: 'bob', domain: `127.0.0.1:${udpPort(alice.core)}`, register: false, srtp: 'off' }));
  return [alice, bob];
}

describe('call history', () => {
  it('an answered call, a missed one and a rejected one; the missed counter and its reset', async () => {
    const [alice, bob] = await pair();
    await bob.core.handlers['contacts.add']({ name: 'Alice Example', addresses: [{ kind: 'sip', value: `sip:alice@127.0.0.1` }], favourite: false, presence: false, blf: false });

    const first = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(1);
    expect(bob.incoming[0]!.contact?.name).toBe('Alice Example');
    await bob.core.handlers['calls.answer']({ callId: bob.incoming[0]!.id });
    await expect.poll(() => alice.views.filter((v) => v.id === first.id).at(-1)?.state, { timeout: 5000 }).toBe('established');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await alice.core.handlers['calls.hangup']({ callId: first.id });
    await expect.poll(() => bob.entries.length, { timeout: 5000 }).toBe(1);
    expect(bob.entries[0]).toMatchObject({ direction: 'incoming', outcome: 'answered', contact: { name: 'Alice Example' } });
    expect(bob.entries[0]!.durationSeconds).toBeGreaterThanOrEqual(1);
    await expect.poll(() => alice.entries[0]?.outcome, { timeout: 5000 }).toBe('answered');

    // alice gives up while bob's phone rings: missed for bob, cancelled for alice.
    const second = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(2);
    await alice.core.handlers['calls.hangup']({ callId: second.id });
    await expect.poll(() => bob.entries.length, { timeout: 5000 }).toBe(2);
    expect(bob.entries[1]).toMatchObject({ outcome: 'missed', unseen: true });
    expect(bob.missed.at(-1)).toBe(1);
    await expect.poll(() => alice.entries.at(-1)?.outcome, { timeout: 5000 }).toBe('cancelled');

    // bob declines: rejected for him, busy for alice.
    await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(3);
    await bob.core.handlers['calls.reject']({ callId: bob.incoming[2]!.id, code: 486 });
    await expect.poll(() => bob.entries.length, { timeout: 5000 }).toBe(3);
    expect(bob.entries[2]!.outcome).toBe('rejected');
    await expect.poll(() => alice.entries.at(-1)?.outcome, { timeout: 5000 }).toBe('busy');

    const page = await bob.core.handlers['history.list']({ filter: 'all', limit: 10 });
    expect(page.map((e) => e.outcome)).toEqual(['rejected', 'missed', 'answered']);
    expect((await bob.core.handlers['history.list']({ filter: 'missed', limit: 10 })).map((e) => e.id)).toEqual([bob.entries[1]!.id]);
    expect(await bob.core.handlers['history.list']({ filter: 'all', limit: 10, before: page[1]!.startedAt })).toEqual([page[2]]);
    expect(await bob.core.handlers['history.markSeen']({})).toEqual({ missed: 0 });
    expect(bob.missed.at(-1)).toBe(0);
    expect((await bob.core.handlers['history.list']({ filter: 'missed', limit: 10 }))[0]!.unseen).toBeUndefined();
    expect(await bob.core.handlers['history.remove']({ id: page[0]!.id })).toBeNull();
    expect(await bob.core.handlers['history.list']({ filter: 'all', limit: 10 })).toHaveLength(2);
    // Retention: 10,000 by default; set lower, the oldest go at once; a bad value is refused.
    expect(await bob.core.handlers['history.retention']({})).toEqual({ keep: 10_000 });
    const { bridge } = { bridge: new ContractBridge(bob.core.handlers, silentLogger) };
    expect(JSON.stringify(await bridge.invoke('history.retention', { keep: 5 }))).toMatch(/at least 100/);
    expect(await bob.core.handlers['history.retention']({ keep: 100 })).toEqual({ keep: 100 });
  });

  it("keeps each call's SIP messages with its history entry, INVITE to BYE's answer, after a restart too; removed with the entry", async () => {
    const [alice, bob] = await pair();
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => bob.incoming.length, { timeout: 5000 }).toBe(1);
    await bob.core.handlers['calls.answer']({ callId: bob.incoming[0]!.id });
    await expect.poll(() => alice.views.filter((v) => v.id === call.id).at(-1)?.state, { timeout: 5000 }).toBe('established');
    await alice.core.handlers['calls.hangup']({ callId: call.id });
    await expect.poll(() => alice.entries.length + bob.entries.length, { timeout: 5000 }).toBe(2);

    const labels = (log: { messages: readonly SipLogEntry[] }) =>
      log.messages.map((m) => {
        const method = /^CSeq:[ \t]*\d+[ \t]+(\S+)/im.exec(m.text)?.[1];
        return `${m.direction} ${m.firstLine.startsWith('SIP/2.0 ') ? `${m.firstLine.split(' ')[1]} ${method}` : m.firstLine.split(' ')[0]}`;
      });
    const inOrder = (all: readonly string[], wanted: readonly string[]) => wanted.reduce((at, label) => (at >= 0 && all.indexOf(label, at) >= 0 ? all.indexOf(label, at) + 1 : -1), 0) > 0;
    const aliceLog = await alice.core.handlers['history.sipLog']({ id: alice.entries[0]!.id });
    expect(inOrder(labels(aliceLog), ['out INVITE', 'in 180 INVITE', 'in 200 INVITE', 'out ACK', 'out BYE', 'in 200 BYE'])).toBe(true);
    expect(new Set(aliceLog.messages.map((m) => m.callId)).size).toBe(1);
    expect(aliceLog.dropped).toBe(0);
    // bob's 200 to the BYE may follow the call's end: it joins the entry a moment later.
    await expect
      .poll(async () => labels(await bob.core.handlers['history.sipLog']({ id: bob.entries[0]!.id })), { timeout: 8000 })
      .toEqual(expect.arrayContaining(['in INVITE', 'out 180 INVITE', 'out 200 INVITE', 'in ACK', 'in BYE', 'out 200 BYE']));
    expect((await bob.core.handlers['history.sipLog']({ id: bob.entries[0]!.id })).messages[0]!.callId).toBe(aliceLog.messages[0]!.callId);

    // The app restarts: the messages are on disk with the entry.
    await alice.core.close();
    const { core: again } = await testCore({ dataDir: alice.dataDir, audio: { driver: new NullDriver(), rtpTimeoutSeconds: 0 } });
    expect(await again.handlers['history.sipLog']({ id: alice.entries[0]!.id })).toEqual(aliceLog);
    await again.handlers['history.remove']({ id: alice.entries[0]!.id });
    expect(await again.handlers['history.sipLog']({ id: alice.entries[0]!.id })).toEqual({ messages: [], dropped: 0 });
  });

  it.each([
    [{ direction: 'incoming', answeredAt: 1 }, false, 'answered'],
    [{ direction: 'outgoing', answeredAt: 1, transfer: { kind: 'blind', target: 'x', state: 'succeeded' } }, false, 'transferred'],
    [{ direction: 'incoming', answeredAt: 1 }, true, 'transferred'],
    [{ direction: 'incoming', end: { by: 'remote', code: 487, reason: 'x' } }, false, 'missed'],
    [{ direction: 'incoming', end: { by: 'local', code: 302, reason: 'forwarded' } }, false, 'missed'],
    [{ direction: 'incoming', end: { by: 'remote', code: 487, reason: 'Call completed elsewhere' } }, false, 'cancelled'],
    [{ direction: 'incoming', end: { by: 'local', code: 603, reason: 'x' } }, false, 'rejected'],
    [{ direction: 'outgoing', end: { by: 'remote', code: 486, reason: 'x' } }, false, 'busy'],
    [{ direction: 'outgoing', end: { by: 'local', code: 487, reason: 'x' } }, false, 'cancelled'],
    [{ direction: 'outgoing', end: { by: 'error', code: 408, reason: 'x' } }, false, 'failed'],
  ] as const)('outcome of %j (transferred on: %s) is %s', (view, transferredOn, outcome) => {
    expect(outcomeOf(view as unknown as CallView, transferredOn)).toBe(outcome);
  });
});

describe('contacts', () => {
  it('are added, searched, updated and removed; bad input is refused with the reason', async () => {
    const { core, bridge } = await testCore();
    const h = core.handlers;
    const zoe = await h['contacts.add']({ name: 'Zoë', organisation: 'Acme', addresses: [{ kind: 'phone', label: 'mobile', value: '+44 7700 900123' }], favourite: false, presence: false, blf: false });
    expect(zoe).toMatchObject({ name: 'Zoë', favourite: false, presence: false, blf: false });
    expect((await h['contacts.list']({ query: '900123', limit: 10 })).map((c) => c.id)).toEqual([zoe.id]);
    const updated = await h['contacts.update']({ id: zoe.id, changes: { favourite: true, notes: 'met at <IETF>' } });
    expect(updated).toMatchObject({ favourite: true, notes: 'met at <IETF>', organisation: 'Acme' });
    expect(await h['contacts.list']({ favourites: true, limit: 10 })).toEqual([updated]);
    const refused = await bridge.invoke('contacts.add', { name: '', addresses: [] });
    expect(JSON.stringify(refused)).toMatch(/name/);
    await expect(h['contacts.update']({ id: 'contact-nope', changes: { name: 'x' } })).rejects.toMatchObject({ code: 'not_found' });
    expect(await h['contacts.remove']({ id: zoe.id })).toBeNull();
    await expect(h['contacts.remove']({ id: zoe.id })).rejects.toMatchObject({ code: 'not_found' });
  });
});
