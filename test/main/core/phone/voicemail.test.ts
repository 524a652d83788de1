/**
 * Alice's mailbox (RFC 3842): the message-summary subscription to her own AOR, unsolicited
 * NOTIFYs from the voicemail server, bad bodies refused, and the one-touch voicemail call.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { events as contractEvents, type EventName } from '../../../../shared/contract.js';
import { PhoneError } from '../../../../shared/errors.js';
import { AccountFields, type AccountStatus, type CallView, type VoicemailState } from '../../../../shared/model.js';
import { EventHub } from '../../../../main/core/events.js';
import { silentLogger } from '../../../../main/core/log.js';
import { Voicemail } from '../../../../main/core/phone/voicemail.js';
import { formatMessageSummary } from '../../../../main/core/sip/events/index.js';
import { SipRequest } from '../../../../main/core/sip/messages/index.js';
import type { ServerTransaction } from '../../../../main/core/sip/transactions/index.js';
import type { StoredAccount } from '../../../../main/core/store/accounts-store.js';
import { FakeServerTransaction, SubscriptionHarness, notifyFor } from '../sip/subscriptions/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

type Handler = (account: StoredAccount, request: SipRequest, transaction: ServerTransaction) => boolean;

function account(fields: Partial<StoredAccount> = {}): StoredAccount {
  const { password: _p, ...parsed } = AccountFields.parse({ user: 'alice', domain: 'example.test', ...fields });
  return { id: fields.id ?? 'acc-1', ...parsed };
}

class World {
  readonly h = new SubscriptionHarness();
  readonly events = new EventHub(silentLogger);
  readonly accountList: StoredAccount[] = [account()];
  readonly status = new Map<string, AccountStatus['state']>();
  readonly handlers = new Map<string, Handler>();
  readonly dialled: { target: string; accountId: string | undefined }[] = [];
  readonly states: VoicemailState[] = [];
  readonly voicemail: Voicemail;

  constructor() {
    this.events.subscribe((name: EventName, payload) => {
      if (name === 'voicemail.state') this.states.push(payload as VoicemailState);
    });
    this.voicemail = new Voicemail({
      accounts: {
        enabled: () => this.accountList.filter((a) => a.enabled),
        get: (id) => {
          const found = this.accountList.find((a) => a.id === id);
          if (found === undefined) throw new PhoneError('not_found', id, 'id');
          return found;
        },
        statusOf: (id) => ({ accountId: id, state: this.status.get(id) ?? 'unregistered' }),
      },
      calls: {
        userAgentOf: () => Promise.resolve({ sessionContext: this.h.context }),
        dial: (target, accountId) => {
          this.dialled.push({ target, accountId });
          return Promise.resolve({ id: 'c1', accountId: accountId ?? '', direction: 'outgoing', state: 'calling', remote: { uri: target }, startedAt: 1 } satisfies CallView);
        },
        handleRequests: (method, handler) => this.handlers.set(method, handler),
      },
      events: this.events,
      subscriptionExpires: 600,
    });
  }

  async register(): Promise<void> {
    this.status.set('acc-1', 'registered');
    this.events.emit('account.state', { accountId: 'acc-1', state: 'registered' });
    await this.h.flush();
  }

  /** An out-of-dialog NOTIFY reaches the user agent's onRequest. */
  unsolicited(body: string, headers: [string, string][] = [['Event', 'message-summary']]): { taken: boolean; status: number | undefined } {
    const request = new SipRequest({
      method: 'NOTIFY',
      uri: 'sip:alice@192.0.2.1:5060',
      headers: [
        ['Via', 'SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bKvm1'],
        ['Max-Forwards', '70'],
        ['From', '<sip:voicemail@example.test>;tag=vm'],
        ['To', '<sip:alice@example.test>'],
        ['Call-ID', 'mwi-1'],
        ['CSeq', '1 NOTIFY'],
        ['Contact', '<sip:voicemail@192.0.2.50:5060>'],
        ...headers,
        ['Content-Type', 'application/simple-message-summary'],
      ],
      body,
    });
    const transaction = new FakeServerTransaction();
    const taken = this.handlers.get('NOTIFY')!(this.accountList[0]!, request, transaction as unknown as ServerTransaction);
    return { taken, status: transaction.status };
  }
}

const summary = (waiting: boolean, newMessages: number, oldMessages: number) =>
  formatMessageSummary({ messagesWaiting: waiting, account: 'sip:alice@example.test', counts: { 'voice-message': { newMessages, oldMessages, newUrgent: 1, oldUrgent: 0 } } });

describe('Voicemail (RFC 3842)', () => {
  it('subscribes message-summary to the account AOR once registered; NOTIFY → voicemail.state', async () => {
    const w = new World();
    w.voicemail.start();
    expect(w.voicemail.list()).toEqual([{ accountId: 'acc-1', waiting: false, newMessages: 0, oldMessages: 0 }]);
    expect(w.h.sent('SUBSCRIBE')).toHaveLength(0);
    await w.register();
    const subscribe = w.h.last('SUBSCRIBE');
    expect(subscribe.uri.toString()).toBe('sip:alice@example.test');
    expect(subscribe.get('Event')).toBe('message-summary');
    expect(subscribe.get('Accept')).toBe('application/simple-message-summary');
    w.h.answer(subscribe, 200, { headers: [['Expires', '600']] });
    await w.h.flush();
    const answered = w.h.deliver(notifyFor(subscribe, { state: 'active;expires=600', body: summary(true, 2, 5), contentType: 'application/simple-message-summary' }));
    expect(answered.status).toBe(200);
    const expected: VoicemailState = { accountId: 'acc-1', waiting: true, newMessages: 2, oldMessages: 5, urgentNew: 1 };
    expect(w.states).toEqual([expected]);
    expect(contractEvents['voicemail.state'].safeParse(w.states[0]).success).toBe(true);
    expect(w.voicemail.list()).toEqual([expected]);
  });

  it('a malformed summary in the subscription is answered 400', async () => {
    const w = new World();
    w.voicemail.start();
    await w.register();
    const subscribe = w.h.last('SUBSCRIBE');
    w.h.answer(subscribe, 200, { headers: [['Expires', '600']] });
    await w.h.flush();
    const answered = w.h.deliver(notifyFor(subscribe, { state: 'active;expires=600', body: 'Voice-Message: 1/2\r\n', contentType: 'application/simple-message-summary' }));
    expect(answered.status).toBe(400);
    expect(w.states).toEqual([]);
  });

  it('an unsolicited NOTIFY (no subscription, no Subscription-State) is taken: 200 and the counts', () => {
    const w = new World();
    w.voicemail.start();
    expect(w.unsolicited(summary(true, 1, 0))).toEqual({ taken: true, status: 200 });
    expect(w.states.at(-1)).toMatchObject({ waiting: true, newMessages: 1, oldMessages: 0 });
    expect(w.unsolicited(summary(false, 0, 1))).toEqual({ taken: true, status: 200 });
    expect(w.states.at(-1)).toMatchObject({ waiting: false, newMessages: 0, oldMessages: 1 });
  });

  it('unsolicited: a bad body gets 400, a huge one 413, another package is not ours', () => {
    const w = new World();
    w.voicemail.start();
    expect(w.unsolicited('Messages-Waiting: perhaps\r\n')).toEqual({ taken: true, status: 400 });
    expect(w.unsolicited(`Messages-Waiting: yes\r\n${'X-Pad: y\r\n'.repeat(2000)}`)).toEqual({ taken: true, status: 413 });
    expect(w.unsolicited(summary(true, 1, 0), [['Event', 'presence']]).taken).toBe(false);
    expect(w.unsolicited(summary(true, 1, 0), []).taken).toBe(false);
    expect(w.states).toEqual([]);
  });

  it('no subscription for an account without messageWaiting', async () => {
    const w = new World();
    w.accountList[0] = { ...w.accountList[0]!, messageWaiting: false };
    w.voicemail.start();
    await w.register();
    expect(w.h.sent('SUBSCRIBE')).toHaveLength(0);
    expect(w.voicemail.list()).toEqual([]);
  });

  it('voicemail.call dials the account voicemail number; without one, a clear refusal', async () => {
    const w = new World();
    await expect(async () => w.voicemail.call('acc-1')).rejects.toMatchObject({ code: 'invalid_state', field: 'accountId' });
    w.accountList[0] = { ...w.accountList[0]!, voicemail: '*97' };
    await w.voicemail.call('acc-1');
    expect(w.dialled).toEqual([{ target: '*97', accountId: 'acc-1' }]);
  });

  it('close ends the subscription', async () => {
    const w = new World();
    w.voicemail.start();
    await w.register();
    const subscribe = w.h.last('SUBSCRIBE');
    w.h.answer(subscribe, 200, { headers: [['Expires', '600']] });
    await w.h.flush();
    w.h.deliver(notifyFor(subscribe, { state: 'active;expires=600' }));
    await w.voicemail.close();
    await w.h.flush();
    expect(w.h.last('SUBSCRIBE').expires).toBe(0);
  });
});
