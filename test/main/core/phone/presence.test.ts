/**
 * Alice watches bob (presence) and extension 200 (busy lamp) through her registered account,
 * and publishes her own presence: what the NOTIFYs make of them, what her calls and DND make of
 * hers, pickup, the settings kept across a restart, and the quit.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventName, EventPayload } from '../../../../shared/contract.js';
import { PhoneError } from '../../../../shared/errors.js';
import { AccountFields, type AccountStatus, type CallView, type OwnPresence, type WatchedEntity } from '../../../../shared/model.js';
import { EventHub } from '../../../../main/core/events.js';
import { silentLogger } from '../../../../main/core/log.js';
import { Presence, type PresenceCalls } from '../../../../main/core/phone/presence.js';
import { formatDialogInfo, formatPidf, type DialogInfoDialog } from '../../../../main/core/sip/events/index.js';
import { PublicationState } from '../../../../main/core/sip/subscriptions/index.js';
import type { SipRequest } from '../../../../main/core/sip/messages/index.js';
import type { StoredAccount } from '../../../../main/core/store/accounts-store.js';
import type { Settings, SettingsChanges } from '../../../../main/core/store/settings-store.js';
import { SubscriptionHarness, notifyFor } from '../sip/subscriptions/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

class FakeSettings {
  values: Partial<Settings> = {};
  get<K extends keyof Settings>(key: K): Settings[K] {
    return this.values[key] as Settings[K];
  }
  set(changes: SettingsChanges): Settings {
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) delete (this.values as Record<string, unknown>)[key];
      else (this.values as Record<string, unknown>)[key] = structuredClone(value);
    }
    return this.values as Settings;
  }
}

function account(fields: Partial<StoredAccount> = {}): StoredAccount {
  const { id = 'acc-1', ...rest } = fields;
  const { password: _p, ...parsed } = AccountFields.parse({ user: 'alice', domain: 'example.test', ...rest });
  return { id, ...parsed };
}

function callView(state: CallView['state']): CallView {
  return { id: 'c1', accountId: 'acc-1', direction: 'outgoing', state, remote: { uri: 'sip:carol@example.test' }, startedAt: 1 };
}

class World {
  readonly h = new SubscriptionHarness();
  readonly events = new EventHub(silentLogger);
  readonly settings = new FakeSettings();
  readonly accountList: StoredAccount[] = [account()];
  readonly status = new Map<string, AccountStatus['state']>();
  readonly callList: CallView[] = [];
  readonly dialled: { target: string; accountId: string | undefined; headers?: readonly (readonly [string, string])[] }[] = [];
  readonly emitted: { name: EventName; payload: unknown }[] = [];
  readonly calls: PresenceCalls = {
    userAgentOf: () => Promise.resolve({ sessionContext: this.h.context }),
    dial: (target, accountId, options) => {
      this.dialled.push({ target, accountId, ...(options?.headers === undefined ? {} : { headers: options.headers }) });
      return Promise.resolve({ ...callView('calling'), remote: { uri: target } });
    },
    list: () => this.callList,
  };
  presence: Presence;

  constructor() {
    this.events.subscribe((name, payload) => this.emitted.push({ name, payload }));
    this.presence = this.make();
  }

  make(): Presence {
    return new Presence({
      accounts: {
        enabled: () => this.accountList.filter((a) => a.enabled),
        get: (id) => {
          const found = this.accountList.find((a) => a.id === id);
          if (found === undefined) throw new PhoneError('not_found', id, 'id');
          return found;
        },
        statusOf: (id) => ({ accountId: id, state: this.status.get(id) ?? 'unregistered' }),
      },
      calls: this.calls,
      events: this.events,
      settings: this.settings,
      subscriptionExpires: 600,
      publicationExpires: 600,
    });
  }

  async register(id = 'acc-1'): Promise<void> {
    this.status.set(id, 'registered');
    this.events.emit('account.state', { accountId: id, state: 'registered' });
    await this.h.flush();
  }

  last<E extends EventName>(name: E): EventPayload<E> | undefined {
    return this.emitted.filter((e) => e.name === name).at(-1)?.payload as EventPayload<E> | undefined;
  }

  subscribes(event: string): SipRequest[] {
    return this.h.sent('SUBSCRIBE').filter((r) => r.get('Event') === event && r.to.tag === undefined);
  }

  /** The notifier accepts the SUBSCRIBE and sends a NOTIFY with `body`. */
  async notify(subscribe: SipRequest, body: string | undefined, contentType?: string, seq = 1) {
    if (seq === 1) this.h.answer(subscribe, 200, { headers: [['Expires', '600']] });
    await this.h.flush();
    const answered = this.h.deliver(
      notifyFor(subscribe, { state: 'active;expires=600', seq, ...(body === undefined ? {} : { body }), ...(contentType === undefined ? {} : { contentType }) }),
    );
    await this.h.flush();
    return answered;
  }
}

const pidf = (basic: 'open' | 'closed', activities: ('on-the-phone' | 'away' | 'busy')[] = [], note?: string) =>
  formatPidf({ entity: 'sip:bob@example.test', basic, activities, ...(note === undefined ? {} : { note }) });

const dialogInfo = (version: number, dialogs: DialogInfoDialog[], state: 'full' | 'partial' = 'full') =>
  formatDialogInfo({ entity: 'sip:200@example.test', version, state, dialogs });

const ringing: DialogInfoDialog = {
  id: 'd1',
  callId: 'call-xyz',
  localTag: 'callee-tag',
  remoteTag: 'caller-tag',
  direction: 'recipient',
  state: 'early',
  remote: { identity: 'sip:carol@example.test', target: 'sip:carol@192.0.2.30:5060' },
};

describe('Presence: watching (RFC 3856, RFC 4235)', () => {
  it('watches before any registration as unknown, subscribes once the account registers', async () => {
    const w = new World();
    w.presence.start();
    const bob = w.presence.watch({ uri: 'bob', presence: true, blf: false });
    expect(bob).toEqual({ uri: 'sip:bob@example.test', presence: true, blf: false, status: 'unknown', line: 'unknown' });
    expect(w.h.sent('SUBSCRIBE')).toHaveLength(0);
    await w.register();
    const [subscribe] = w.subscribes('presence');
    expect(subscribe!.uri.toString()).toBe('sip:bob@example.test');
    expect(subscribe!.get('Accept')).toBe('application/pidf+xml');
    expect(subscribe!.expires).toBe(600);
  });

  it('open + on-the-phone, then away with a note, then closed: each change is a presence.contact event', async () => {
    const w = new World();
    w.presence.start();
    await w.register();
    w.presence.watch({ uri: 'sip:bob@example.test', displayName: 'Bob', presence: true, blf: false });
    const [subscribe] = w.subscribes('presence');
    expect((await w.notify(subscribe!, pidf('open', ['on-the-phone']))).status).toBe(200);
    expect(w.last('presence.contact')).toMatchObject({ uri: 'sip:bob@example.test', displayName: 'Bob', status: 'on-the-phone' });
    await w.notify(subscribe!, pidf('open', ['away'], 'back at 3\u202epm'), undefined, 2);
    expect(w.last('presence.contact')).toMatchObject({ status: 'away', note: 'back at 3 pm' });
    await w.notify(subscribe!, pidf('open'), undefined, 3);
    expect(w.last('presence.contact')!.status).toBe('available');
    await w.notify(subscribe!, pidf('closed'), undefined, 4);
    expect(w.last('presence.contact')!.status).toBe('offline');
    const count = w.emitted.filter((e) => e.name === 'presence.contact').length;
    await w.notify(subscribe!, pidf('closed'), undefined, 5);
    expect(w.emitted.filter((e) => e.name === 'presence.contact')).toHaveLength(count);
  });

  it('busy with a "Do not disturb" note reads as dnd', async () => {
    const w = new World();
    w.presence.start();
    await w.register();
    w.presence.watch({ uri: 'bob', presence: true, blf: false });
    await w.notify(w.subscribes('presence')[0]!, pidf('open', ['busy'], 'Do not disturb'));
    expect(w.last('presence.contact')!.status).toBe('dnd');
  });

  it('a malformed PIDF is answered 400 and changes nothing', async () => {
    const w = new World();
    w.presence.start();
    await w.register();
    w.presence.watch({ uri: 'bob', presence: true, blf: false });
    const subscribe = w.subscribes('presence')[0]!;
    await w.notify(subscribe, pidf('open', ['busy']));
    expect((await w.notify(subscribe, '<presence><tuple', undefined, 2)).status).toBe(400);
    expect((await w.notify(subscribe, '<x/>', 'text/plain', 3)).status).toBe(400);
    expect(w.presence.get().watched[0]!.status).toBe('busy');
  });

  it('a terminating NOTIFY shows offline; an empty NOTIFY (nothing published) too', async () => {
    const w = new World();
    w.presence.start();
    await w.register();
    w.presence.watch({ uri: 'bob', presence: true, blf: false });
    const subscribe = w.subscribes('presence')[0]!;
    await w.notify(subscribe, undefined);
    expect(w.presence.get().watched[0]!.status).toBe('offline');
    await w.notify(subscribe, pidf('open'), undefined, 2);
    expect(w.presence.get().watched[0]!.status).toBe('available');
    w.h.deliver(notifyFor(subscribe, { state: 'terminated;reason=noresource', seq: 3 }));
    await w.h.flush();
    expect(w.last('presence.contact')!.status).toBe('offline');
  });

  it('busy lamp: Event dialog; ringing (with pickup), in-call, idle; blf alone shows on-the-phone in a call', async () => {
    const w = new World();
    w.presence.start();
    await w.register();
    const view = w.presence.watch({ uri: '200', presence: false, blf: true });
    expect(view).toMatchObject({ uri: 'sip:200@example.test', line: 'unknown' });
    const [subscribe] = w.subscribes('dialog');
    expect(subscribe!.get('Accept')).toBe('application/dialog-info+xml');
    expect(w.subscribes('presence')).toHaveLength(0);
    await w.notify(subscribe!, dialogInfo(0, []), 'application/dialog-info+xml');
    expect(w.last('presence.contact')).toMatchObject({ line: 'idle', status: 'unknown' });
    await w.notify(subscribe!, dialogInfo(1, [ringing]), 'application/dialog-info+xml', 2);
    expect(w.last('presence.contact')).toMatchObject({ line: 'ringing', pickup: true });
    await w.notify(subscribe!, dialogInfo(2, [{ ...ringing, state: 'confirmed' }]), 'application/dialog-info+xml', 3);
    expect(w.last('presence.contact')).toMatchObject({ line: 'in-call', status: 'on-the-phone' });
    expect(w.last('presence.contact')).not.toHaveProperty('pickup');
    await w.notify(subscribe!, dialogInfo(3, [{ ...ringing, state: 'terminated' }], 'partial'), 'application/dialog-info+xml', 4);
    expect(w.last('presence.contact')).toMatchObject({ line: 'idle' });
  });

  it('a malformed dialog-info is answered 400; a stale version is ignored; a gap refreshes', async () => {
    const w = new World();
    w.presence.start();
    await w.register();
    w.presence.watch({ uri: '200', presence: false, blf: true });
    const subscribe = w.subscribes('dialog')[0]!;
    await w.notify(subscribe, dialogInfo(5, [ringing]), 'application/dialog-info+xml');
    expect((await w.notify(subscribe, '<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info"/>', 'application/dialog-info+xml', 2)).status).toBe(400);
    await w.notify(subscribe, dialogInfo(4, []), 'application/dialog-info+xml', 3);
    expect(w.presence.get().watched[0]!.line).toBe('ringing');
    const before = w.h.sent('SUBSCRIBE').length;
    await w.notify(subscribe, dialogInfo(9, [{ ...ringing, id: 'd2', state: 'confirmed', direction: 'initiator' }], 'partial'), 'application/dialog-info+xml', 4);
    expect(w.h.sent('SUBSCRIBE').length).toBe(before + 1);
  });

  it('presence and lamp combined: an offline extension has no idle lamp', async () => {
    const w = new World();
    w.presence.start();
    await w.register();
    w.presence.watch({ uri: '200', presence: true, blf: true });
    await w.notify(w.subscribes('presence')[0]!, pidf('closed'));
    await w.notify(w.subscribes('dialog')[0]!, dialogInfo(0, []), 'application/dialog-info+xml');
    expect(w.presence.get().watched[0]).toMatchObject({ status: 'offline', line: 'unknown' });
  });

  it('pickup: INVITE to the caller with Replaces naming the early dialog (early-only)', async () => {
    const w = new World();
    w.presence.start();
    await w.register();
    w.presence.watch({ uri: '200', presence: false, blf: true });
    await w.notify(w.subscribes('dialog')[0]!, dialogInfo(0, [ringing]), 'application/dialog-info+xml');
    const call = await w.presence.pickup('200');
    expect(call.remote.uri).toBe('sip:carol@192.0.2.30:5060');
    expect(w.dialled).toEqual([
      { target: 'sip:carol@192.0.2.30:5060', accountId: 'acc-1', headers: [['Replaces', 'call-xyz;to-tag=caller-tag;from-tag=callee-tag;early-only']] },
    ]);
  });

  it('pickup without dialog identifiers: the pickup code and the extension; else a clear refusal', async () => {
    const w = new World();
    w.presence.start();
    await w.register();
    w.presence.watch({ uri: '200', presence: false, blf: true });
    const bare: DialogInfoDialog = { id: 'd1', direction: 'recipient', state: 'early' };
    await w.notify(w.subscribes('dialog')[0]!, dialogInfo(0, [bare]), 'application/dialog-info+xml');
    expect(w.presence.get().watched[0]).toMatchObject({ line: 'ringing', pickup: false });
    await expect(w.presence.pickup('200')).rejects.toMatchObject({ code: 'invalid_state' });
    w.accountList[0] = { ...w.accountList[0]!, pickupCode: '*8' };
    await w.presence.pickup('sip:200@example.test');
    expect(w.dialled.at(-1)).toEqual({ target: '*8200', accountId: 'acc-1' });
    await expect(w.presence.pickup('sip:nobody@example.test')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('unwatch ends the subscriptions (Expires 0) and forgets the entity', async () => {
    const w = new World();
    w.presence.start();
    await w.register();
    w.presence.watch({ uri: '200', presence: true, blf: true });
    await w.notify(w.subscribes('presence')[0]!, pidf('open'));
    await w.notify(w.subscribes('dialog')[0]!, dialogInfo(0, []), 'application/dialog-info+xml');
    expect(w.presence.unwatch('200')).toBeNull();
    await w.h.flush();
    const unsubscribes = w.h.sent('SUBSCRIBE').filter((r) => r.expires === 0);
    expect(unsubscribes.map((r) => r.get('Event')).sort()).toEqual(['dialog', 'presence']);
    expect(w.presence.get().watched).toEqual([]);
    expect(() => w.presence.unwatch('200')).toThrow(PhoneError);
  });

  it('the watch list and our status survive a restart (settings)', async () => {
    const w = new World();
    w.presence.start();
    w.presence.watch({ uri: 'bob', displayName: 'Bob', presence: true, blf: false });
    w.presence.watch({ uri: '200', presence: true, blf: true });
    w.presence.set('busy', 'in a meeting');
    const again = w.make();
    expect(again.get()).toEqual({
      own: { status: 'busy', note: 'in a meeting', effective: 'busy' },
      watched: [
        { uri: 'sip:bob@example.test', displayName: 'Bob', presence: true, blf: false, status: 'unknown', line: 'unknown' },
        { uri: 'sip:200@example.test', presence: true, blf: true, status: 'unknown', line: 'unknown' },
      ],
    });
  });

  it('a long watch list starts its subscriptions 20 at a time, a batch per 100 ms', async () => {
    const w = new World();
    for (let i = 0; i < 30; i++) w.presence.watch({ uri: `sip:ext${i}@example.test`, presence: true, blf: true });
    w.presence.start();
    await w.register();
    expect(w.h.sent('SUBSCRIBE')).toHaveLength(20);
    await vi.advanceTimersByTimeAsync(100);
    expect(w.h.sent('SUBSCRIBE')).toHaveLength(40);
    w.presence.unwatch('sip:ext29@example.test');
    await vi.advanceTimersByTimeAsync(100);
    expect(w.h.sent('SUBSCRIBE')).toHaveLength(58);
    await vi.advanceTimersByTimeAsync(1000);
    expect(w.h.sent('SUBSCRIBE')).toHaveLength(58);
  });

  it('a failed re-registration keeps the subscriptions (no unsubscribe storm); another registered account takes them', async () => {
    const w = new World();
    w.accountList.push(account({ id: 'acc-2', user: 'alice2' }));
    w.presence.start();
    await w.register();
    w.presence.watch({ uri: 'bob', presence: true, blf: false });
    await w.notify(w.subscribes('presence')[0]!, pidf('open'));
    w.status.set('acc-1', 'failed');
    w.events.emit('account.state', { accountId: 'acc-1', state: 'failed' });
    await w.h.flush();
    expect(w.h.sent('SUBSCRIBE').filter((r) => r.expires === 0)).toHaveLength(0);
    expect(w.presence.get().watched[0]!.status).toBe('available');
    await w.register('acc-2');
    expect(w.h.sent('SUBSCRIBE').filter((r) => r.expires === 0)).toHaveLength(1);
    expect(w.subscribes('presence')).toHaveLength(2);
  });

  it('refuses a watch of nothing and a bad address', () => {
    const w = new World();
    expect(() => w.presence.watch({ uri: 'bob', presence: false, blf: false })).toThrow(PhoneError);
    expect(() => w.presence.watch({ uri: 'sip:bob@example.test?Route=x', presence: true, blf: false })).toThrow(expect.objectContaining({ code: 'invalid_params', field: 'uri' }));
  });
});

describe('Presence: our own (RFC 3903 PUBLISH)', () => {
  async function publishing(w: World) {
    w.presence.start();
    await w.register();
    const first = w.h.last('PUBLISH');
    w.h.answer(first, 200, { headers: [['SIP-ETag', 'e1'], ['Expires', '600']] });
    await w.h.flush();
    return first;
  }
  const text = (r: SipRequest) => new TextDecoder().decode(r.body);

  it('publishes "open" to the account AOR once registered, the user status as RPID activity', async () => {
    const w = new World();
    const first = await publishing(w);
    expect(first.uri.toString()).toBe('sip:alice@example.test');
    expect(first.get('Event')).toBe('presence');
    expect(text(first)).toContain('<basic>open</basic>');
    w.presence.set('away', 'lunch');
    await w.h.flush();
    const modify = w.h.last('PUBLISH');
    expect(modify.get('SIP-If-Match')).toBe('e1');
    expect(text(modify)).toContain('<rpid:away/>');
    expect(text(modify)).toContain('<note>lunch</note>');
    expect(w.last('presence.own')).toEqual({ status: 'away', note: 'lunch', effective: 'away' });
  });

  it('on-the-phone while a call is up, back after; DND on the account shows dnd', async () => {
    const w = new World();
    await publishing(w);
    w.callList.push(callView('established'));
    w.events.emit('call.state', w.callList[0]!);
    await w.h.flush();
    expect(w.last('presence.own')!.effective).toBe('on-the-phone');
    const during = w.h.last('PUBLISH');
    expect(text(during)).toContain('<rpid:on-the-phone/>');
    w.h.answer(during, 200, { headers: [['SIP-ETag', 'e2']] });
    w.callList.length = 0;
    w.events.emit('call.state', { ...callView('terminated') });
    await w.h.flush();
    expect(w.last('presence.own')!.effective).toBe('available');
    w.h.answer(w.h.last('PUBLISH'), 200, { headers: [['SIP-ETag', 'e3']] });
    w.accountList[0] = { ...w.accountList[0]!, dnd: true };
    w.events.emit('account.state', { accountId: 'acc-1', state: 'registered' });
    await w.h.flush();
    expect(w.last('presence.own')!.effective).toBe('dnd');
    expect(text(w.h.last('PUBLISH'))).toContain('Do not disturb');
  });

  it('idle makes "available" away, not "busy"', async () => {
    const w = new World();
    w.presence.start();
    w.presence.setIdle(true);
    expect(w.last('presence.own')).toEqual<OwnPresence>({ status: 'available', effective: 'away' });
    w.presence.set('busy');
    expect(w.presence.get().own.effective).toBe('busy');
    w.presence.setIdle(false);
    w.presence.set('available');
    expect(w.presence.get().own.effective).toBe('available');
  });

  it('a server without PUBLISH (489): no more publishing, watching goes on', async () => {
    const w = new World();
    w.presence.start();
    await w.register();
    w.h.answer(w.h.last('PUBLISH'), 489);
    await w.h.flush();
    expect(w.presence.publicationStates()).toEqual({ 'acc-1': PublicationState.Unsupported });
    w.presence.set('busy');
    await w.h.flush();
    expect(w.h.sent('PUBLISH')).toHaveLength(1);
    w.presence.watch({ uri: 'bob', presence: true, blf: false });
    await w.notify(w.subscribes('presence')[0]!, pidf('open'));
    expect(w.last('presence.contact')!.status).toBe('available');
  });

  it('no publication for an account without publishPresence', async () => {
    const w = new World();
    w.accountList[0] = { ...w.accountList[0]!, publishPresence: false };
    w.presence.start();
    await w.register();
    expect(w.h.sent('PUBLISH')).toHaveLength(0);
  });

  it('quit: the publication is removed (Expires 0) and the subscriptions end', async () => {
    const w = new World();
    await publishing(w);
    w.presence.watch({ uri: 'bob', presence: true, blf: false });
    await w.notify(w.subscribes('presence')[0]!, pidf('open'));
    const closing = w.presence.close();
    await w.h.flush();
    const removal = w.h.last('PUBLISH');
    expect(removal.expires).toBe(0);
    expect(removal.get('SIP-If-Match')).toBe('e1');
    expect(w.h.sent('SUBSCRIBE').filter((r) => r.expires === 0)).toHaveLength(1);
    // No answer: the wait is bounded.
    await vi.advanceTimersByTimeAsync(2_000);
    await closing;
  });

  it('events carry schema-valid payloads', async () => {
    const { events } = await import('../../../../shared/contract.js');
    const w = new World();
    w.presence.start();
    await w.register();
    w.presence.watch({ uri: '200', displayName: 'Reception', presence: true, blf: true });
    await w.notify(w.subscribes('dialog')[0]!, dialogInfo(0, [ringing]), 'application/dialog-info+xml');
    w.presence.set('dnd');
    for (const e of w.emitted) {
      if (e.name === 'presence.contact') expect(events['presence.contact'].safeParse(e.payload as WatchedEntity).success).toBe(true);
      if (e.name === 'presence.own') expect(events['presence.own'].safeParse(e.payload).success).toBe(true);
    }
  });
});
