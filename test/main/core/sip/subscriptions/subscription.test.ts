/**
 * Alice subscribes to bob's presence (RFC 6665 §4.1): the SUBSCRIBE, the dialogs its 2xx and
 * NOTIFYs make, refreshes, the §4.1.3 retry rules, and the failures of §4.1.2.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBodyError } from '../../../../../main/core/sip/events/event-body-error.js';
import {
  SubscriberState,
  Subscription,
  type EventNotification,
  type SubscriptionOptions,
  type SubscriptionTermination,
} from '../../../../../main/core/sip/subscriptions/index.js';
import { SubscriptionHarness, notifyFor } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

interface Log {
  states: SubscriberState[];
  notifications: EventNotification[];
  terminated: SubscriptionTermination[];
  retries: number[];
}

async function subscribe(h: SubscriptionHarness, options: Partial<SubscriptionOptions> = {}) {
  const log: Log = { states: [], notifications: [], terminated: [], retries: [] };
  const subscription = new Subscription(h.context, {
    target: 'sip:bob@example.test',
    event: 'presence',
    accept: ['application/pidf+xml'],
    expires: 600,
    delegate: {
      onStateChange: (s) => log.states.push(s),
      onNotify: (n) => log.notifications.push(n),
      onTerminated: (t) => log.terminated.push(t),
      onRetry: (after) => log.retries.push(after),
    },
    ...options,
  });
  subscription.subscribe();
  await h.flush();
  return { subscription, log, first: h.last('SUBSCRIBE') };
}

/** The usual start: 2xx with Expires 600, then a NOTIFY "active". */
async function active(h: SubscriptionHarness, options: Partial<SubscriptionOptions> = {}) {
  const started = await subscribe(h, options);
  h.answer(started.first, 200, { headers: [['Expires', '600']] });
  await h.flush();
  const answered = h.deliver(notifyFor(started.first, { state: 'active;expires=600', body: '<presence/>' }));
  expect(answered.status).toBe(200);
  return started;
}

describe('Subscription (RFC 6665 §4.1)', () => {
  it('sends the initial SUBSCRIBE with Event, Accept, Expires, Contact and a From tag (§4.1.2.1)', async () => {
    const h = new SubscriptionHarness();
    (h.settings as { routeSet: readonly string[] }).routeSet = ['<sip:proxy.example.test;lr>'];
    const { first, subscription } = await subscribe(h);
    expect(first.method).toBe('SUBSCRIBE');
    expect(first.uri.toString()).toBe('sip:bob@example.test');
    expect(first.get('Event')).toBe('presence');
    expect(first.get('Accept')).toBe('application/pidf+xml');
    expect(first.expires).toBe(600);
    expect(first.get('Route')).toBe('<sip:proxy.example.test;lr>');
    expect(first.get('Contact')).toBe('<sip:alice@192.0.2.1:5060>');
    expect(first.from.tag).toBeDefined();
    expect(first.to.tag).toBeUndefined();
    expect(subscription.state).toBe(SubscriberState.NotifyWait);
  });

  it('2xx then NOTIFY active: one dialog, the body reaches the owner, NOTIFY answered 200', async () => {
    const h = new SubscriptionHarness();
    const { subscription, log } = await active(h);
    expect(subscription.state).toBe(SubscriberState.Active);
    expect(log.states).toEqual([SubscriberState.NotifyWait, SubscriberState.Active]);
    expect(log.notifications).toHaveLength(1);
    expect(log.notifications[0]).toMatchObject({ contentType: 'application/pidf+xml', text: '<presence/>' });
    expect(log.notifications[0]!.subscriptionState.state).toBe('active');
    expect(subscription.dialogs).toHaveLength(1);
  });

  it('a NOTIFY before the 2xx creates the dialog; the 2xx then makes no second one (§4.1.2.4)', async () => {
    const h = new SubscriptionHarness();
    const { subscription, first, log } = await subscribe(h);
    const early = h.deliver(notifyFor(first, { state: 'pending;expires=600' }));
    expect(early.status).toBe(200);
    expect(subscription.state).toBe(SubscriberState.Pending);
    h.answer(first, 200, { headers: [['Expires', '600']] });
    await h.flush();
    expect(subscription.dialogs).toHaveLength(1);
    // No NOTIFY-wait timeout: a NOTIFY already came.
    await vi.advanceTimersByTimeAsync(40_000);
    expect(subscription.state).toBe(SubscriberState.Pending);
    h.deliver(notifyFor(first, { state: 'active;expires=560', seq: 2 }));
    expect(log.states.at(-1)).toBe(SubscriberState.Active);
  });

  it('a NOTIFY from another fork creates a second dialog, refreshed on its own (§4.1.2.4, §4.5)', async () => {
    const h = new SubscriptionHarness();
    const { subscription, first } = await active(h);
    const fork = h.deliver(notifyFor(first, { state: 'active;expires=300', fromTag: 'notifier2' }));
    expect(fork.status).toBe(200);
    expect(subscription.dialogs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(268_000);
    const refreshes = h.sent('SUBSCRIBE').slice(1);
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.to.tag).toBe('notifier2');
    expect(refreshes[0]!.callId).toBe(first.callId);
    expect(refreshes[0]!.cseq.seq).toBeGreaterThan(first.cseq.seq);
  });

  it('one fork terminating leaves the other', async () => {
    const h = new SubscriptionHarness();
    const { subscription, first, log } = await active(h);
    h.deliver(notifyFor(first, { state: 'active;expires=300', fromTag: 'notifier2' }));
    h.deliver(notifyFor(first, { state: 'terminated;reason=noresource', fromTag: 'notifier2', seq: 2 }));
    expect(subscription.dialogs).toHaveLength(1);
    expect(subscription.state).toBe(SubscriberState.Active);
    expect(log.terminated).toEqual([]);
    // Its dialog is gone: a late NOTIFY from it gets 481.
    expect(h.deliver(notifyFor(first, { state: 'active', fromTag: 'notifier2', seq: 3 })).status).toBe(481);
  });

  describe('refresh (§4.1.2.2)', () => {
    it('refreshes at expires − 32 s with an in-dialog SUBSCRIBE, then on the new expiry', async () => {
      const h = new SubscriptionHarness();
      const { first } = await active(h);
      await vi.advanceTimersByTimeAsync(567_999);
      expect(h.sent('SUBSCRIBE')).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      const refresh = h.last('SUBSCRIBE');
      expect(refresh.to.tag).toBe('notifier1');
      expect(refresh.from.tag).toBe(first.from.tag);
      expect(refresh.uri.toString()).toBe('sip:presence@192.0.2.20:5060');
      expect(refresh.get('Event')).toBe('presence');
      expect(refresh.get('Accept')).toBe('application/pidf+xml');
      expect(refresh.expires).toBe(600);
      expect(refresh.cseq.seq).toBe(first.cseq.seq + 1);
      h.answer(refresh, 200, { headers: [['Expires', '120']] });
      await h.flush();
      // 120 s granted: refresh at 120 − min(60, 32) = 88 s.
      await vi.advanceTimersByTimeAsync(87_999);
      expect(h.sent('SUBSCRIBE')).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(h.sent('SUBSCRIBE')).toHaveLength(3);
    });

    it('a short grant refreshes at half of it', async () => {
      const h = new SubscriptionHarness();
      const { first } = await subscribe(h);
      h.answer(first, 200, { headers: [['Expires', '40']] });
      await h.flush();
      h.deliver(notifyFor(first, { state: 'active' }));
      await vi.advanceTimersByTimeAsync(19_999);
      expect(h.sent('SUBSCRIBE')).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(h.sent('SUBSCRIBE')).toHaveLength(2);
    });

    it('the expires of a NOTIFY is authoritative and moves the refresh (§4.1.3)', async () => {
      const h = new SubscriptionHarness();
      const { first } = await active(h);
      h.deliver(notifyFor(first, { state: 'active;expires=100', seq: 2 }));
      await vi.advanceTimersByTimeAsync(68_000);
      expect(h.sent('SUBSCRIBE')).toHaveLength(2);
    });

    it.each([
      [0.5, 0.1, 539_600],
      [0.999, 0.2, 454_513],
      [0.3, 0, 568_000],
    ])('with random %d and jitter %d the refresh goes at %i ms', async (random, jitter, at) => {
      const h = new SubscriptionHarness();
      await active(h, { random: () => random, refreshJitter: jitter });
      await vi.advanceTimersByTimeAsync(at - 1);
      expect(h.sent('SUBSCRIBE')).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(h.sent('SUBSCRIBE')).toHaveLength(2);
    });

    it('a 423 to a refresh is retried with Min-Expires', async () => {
      const h = new SubscriptionHarness();
      await active(h);
      await vi.advanceTimersByTimeAsync(568_000);
      h.answer(h.last('SUBSCRIBE'), 423, { headers: [['Min-Expires', '1800']] });
      await h.flush();
      expect(h.last('SUBSCRIBE').expires).toBe(1800);
    });

    it('a 481 to a refresh starts a new subscription: new Call-ID and From tag', async () => {
      const h = new SubscriptionHarness();
      const { first, subscription, log } = await active(h);
      await vi.advanceTimersByTimeAsync(568_000);
      h.answer(h.last('SUBSCRIBE'), 481);
      await h.flush();
      await vi.advanceTimersByTimeAsync(0);
      const again = h.last('SUBSCRIBE');
      expect(again.to.tag).toBeUndefined();
      expect(again.callId).not.toBe(first.callId);
      expect(again.from.tag).not.toBe(first.from.tag);
      expect(log.retries).toEqual([0]);
      expect(subscription.state).toBe(SubscriberState.NotifyWait);
      // The old dialog is gone.
      expect(h.deliver(notifyFor(first, { state: 'active', seq: 5 })).status).toBe(481);
    });

    it('a refresh failing otherwise keeps the subscription until it expires, then subscribes anew', async () => {
      const h = new SubscriptionHarness();
      const { first, log } = await active(h);
      await vi.advanceTimersByTimeAsync(568_000);
      h.answer(h.last('SUBSCRIBE'), 500);
      await h.flush();
      await vi.advanceTimersByTimeAsync(31_999);
      expect(h.sent('SUBSCRIBE')).toHaveLength(2);
      // The expiry fires at 600 s; the retry ("immediately") is a timer of its own.
      await vi.advanceTimersByTimeAsync(2);
      expect(h.sent('SUBSCRIBE')).toHaveLength(3);
      expect(h.last('SUBSCRIBE').callId).not.toBe(first.callId);
      expect(log.retries).toEqual([0]);
    });
  });

  describe('termination reasons (§4.1.3)', () => {
    it.each([
      ['deactivated', '', 0],
      ['timeout', ';retry-after=90', 0],
      ['probation', ';retry-after=30', 30],
      ['probation', '', 60],
      ['giveup', ';retry-after=10', 10],
      ['giveup', '', 60],
      ['some-extension', ';retry-after=20', 20],
    ])('terminated;reason=%s%s: subscribes again after %i s', async (reason, extra, delay) => {
      const h = new SubscriptionHarness();
      const { first, subscription, log } = await active(h);
      h.deliver(notifyFor(first, { state: `terminated;reason=${reason}${extra}`, seq: 2 }));
      expect(subscription.state).toBe(SubscriberState.RetryWait);
      expect(log.retries).toEqual([delay]);
      if (delay > 0) {
        await vi.advanceTimersByTimeAsync(delay * 1000 - 1);
        expect(h.sent('SUBSCRIBE')).toHaveLength(1);
      }
      await vi.advanceTimersByTimeAsync(delay > 0 ? 1 : 0);
      expect(h.sent('SUBSCRIBE')).toHaveLength(2);
      expect(h.last('SUBSCRIBE').callId).not.toBe(first.callId);
      expect(subscription.state).toBe(SubscriberState.NotifyWait);
    });

    it.each(['rejected', 'noresource', 'invariant', 'some-extension'])('terminated;reason=%s: no retry', async (reason) => {
      const h = new SubscriptionHarness();
      const { first, subscription, log } = await active(h);
      h.deliver(notifyFor(first, { state: `terminated;reason=${reason}`, seq: 2, body: '<presence/>' }));
      await vi.advanceTimersByTimeAsync(3_600_000);
      expect(h.sent('SUBSCRIBE')).toHaveLength(1);
      expect(subscription.state).toBe(SubscriberState.Terminated);
      expect(log.terminated).toEqual([{ cause: 'notify', reason }]);
      // The last NOTIFY's body still reached the owner.
      expect(log.notifications).toHaveLength(2);
    });

    it('stops retrying after maxRetries in a row without becoming active', async () => {
      const h = new SubscriptionHarness();
      const { log, subscription } = await active(h, { maxRetries: 2 });
      for (let i = 0; i < 3; i++) {
        const subscribe = h.last('SUBSCRIBE');
        if (i > 0) h.answer(subscribe, 200, { headers: [['Expires', '600']] });
        await h.flush();
        h.deliver(notifyFor(subscribe, { state: 'terminated;reason=deactivated', seq: 10 + i }));
        await vi.advanceTimersByTimeAsync(0);
      }
      expect(log.retries).toEqual([0, 0]);
      expect(subscription.state).toBe(SubscriberState.Terminated);
      expect(h.sent('SUBSCRIBE')).toHaveLength(3);
    });
  });

  describe('failures of the initial SUBSCRIBE (§4.1.2.1)', () => {
    it('423 with Min-Expires: asks again for that, same Call-ID, next CSeq', async () => {
      const h = new SubscriptionHarness();
      const { first } = await subscribe(h, { expires: 60 });
      h.answer(first, 423, { headers: [['Min-Expires', '3600']] });
      await h.flush();
      const second = h.last('SUBSCRIBE');
      expect(second.expires).toBe(3600);
      expect(second.callId).toBe(first.callId);
      expect(second.cseq.seq).toBe(first.cseq.seq + 1);
      h.answer(second, 200, { headers: [['Expires', '3600']] });
      await h.flush();
      h.deliver(notifyFor(second, { state: 'active;expires=3600' }));
      await vi.advanceTimersByTimeAsync(3_568_000);
      expect(h.last('SUBSCRIBE').expires).toBe(3600);
    });

    it('423 without a larger Min-Expires ends it', async () => {
      const h = new SubscriptionHarness();
      const { first, log } = await subscribe(h);
      h.answer(first, 423, { headers: [['Min-Expires', '60']] });
      await h.flush();
      expect(log.terminated).toEqual([{ cause: 'rejected', code: 423 }]);
    });

    it.each([489, 403, 404, 480])('%i ends it, no retry', async (status) => {
      const h = new SubscriptionHarness();
      const { first, subscription, log } = await subscribe(h);
      h.answer(first, status);
      await h.flush();
      expect(subscription.state).toBe(SubscriberState.Terminated);
      expect(log.terminated).toEqual([{ cause: 'rejected', code: status }]);
      expect(h.dialogs.size).toBe(0);
    });

    it('503 with Retry-After: tries again after it (RFC 3261 §20.33)', async () => {
      const h = new SubscriptionHarness();
      const { first, log } = await subscribe(h);
      h.answer(first, 503, { headers: [['Retry-After', '30 (maintenance)']] });
      await h.flush();
      expect(log.retries).toEqual([30]);
      await vi.advanceTimersByTimeAsync(29_999);
      expect(h.sent('SUBSCRIBE')).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(h.sent('SUBSCRIBE')).toHaveLength(2);
    });

    it('no response at all ends it', async () => {
      const h = new SubscriptionHarness();
      const { first, log } = await subscribe(h);
      h.timeout(first);
      await h.flush();
      expect(log.terminated).toEqual([{ cause: 'request-failed' }]);
    });

    it('no NOTIFY within 64·T1 of the 2xx: failed (§4.1.2.4)', async () => {
      const h = new SubscriptionHarness();
      const { first, subscription, log } = await subscribe(h);
      h.answer(first, 200, { headers: [['Expires', '600']] });
      await h.flush();
      await vi.advanceTimersByTimeAsync(31_999);
      expect(subscription.state).toBe(SubscriberState.NotifyWait);
      await vi.advanceTimersByTimeAsync(1);
      expect(subscription.state).toBe(SubscriberState.Terminated);
      expect(log.terminated).toEqual([{ cause: 'notify-timeout' }]);
      expect(h.dialogs.size).toBe(0);
    });
  });

  describe('NOTIFY answers (§4.1.3)', () => {
    it.each([
      ['another event', 489, { event: 'dialog' }],
      ['an Event id we did not use', 489, { event: 'presence;id=7' }],
      ['a malformed Subscription-State', 400, { state: 'active;expires=soon' }],
      ['a malformed Event', 400, { event: 'presence;;' }],
    ])('%s: %i', async (_what, status, override) => {
      const h = new SubscriptionHarness();
      const { first } = await active(h);
      const notify = notifyFor(first, { state: 'active', seq: 2, ...override });
      expect(h.deliver(notify).status).toBe(status);
    });

    it('no Subscription-State: 400', async () => {
      const h = new SubscriptionHarness();
      const { first } = await active(h);
      const notify = notifyFor(first, { state: 'active', seq: 2 });
      notify.remove('Subscription-State');
      expect(h.deliver(notify).status).toBe(400);
    });

    it('a NOTIFY for a dialog we do not have: 481', async () => {
      const h = new SubscriptionHarness();
      const { first } = await active(h);
      const stranger = notifyFor(first, { state: 'active' });
      stranger.set('Call-ID', 'someone-else');
      expect(h.deliver(stranger).status).toBe(481);
    });

    it('a body over the limit: 413, and the state is unchanged', async () => {
      const h = new SubscriptionHarness();
      const { first, log } = await active(h, { maxBodyBytes: 100 });
      const big = notifyFor(first, { state: 'terminated;reason=noresource', seq: 2, body: 'x'.repeat(101) });
      expect(h.deliver(big).status).toBe(413);
      expect(log.notifications).toHaveLength(1);
      expect(log.terminated).toEqual([]);
    });

    it('a body the owner cannot parse (EventBodyError): 400', async () => {
      const h = new SubscriptionHarness();
      const { first } = await active(h, {
        delegate: {
          onNotify: (n) => {
            if (n.text !== '<presence/>') throw new EventBodyError('malformed', 'pidf', 'not a presence document');
          },
        },
      });
      expect(h.deliver(notifyFor(first, { state: 'active', seq: 2, body: '<nonsense' })).status).toBe(400);
    });

    it('a first NOTIFY whose body is refused makes a dialog that ends unless a good one follows in 64·T1', async () => {
      const h = new SubscriptionHarness();
      const { first, subscription } = await subscribe(h, {
        delegate: {
          onNotify: (n) => {
            if (n.text === 'bad') throw new EventBodyError('malformed', 'pidf', 'bad');
          },
        },
      });
      h.answer(first, 500);
      h.deliver(notifyFor(first, { state: 'active', fromTag: 'fork2', body: 'bad' }));
      await h.flush();
      expect(subscription.dialogs).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(32_000);
      expect(subscription.state).toBe(SubscriberState.Terminated);
    });

    it('a first NOTIFY over the size limit makes no dialog: 413', async () => {
      const h = new SubscriptionHarness();
      const { first, subscription } = await subscribe(h, { maxBodyBytes: 10 });
      expect(h.deliver(notifyFor(first, { state: 'active', body: 'x'.repeat(11) })).status).toBe(413);
      expect(subscription.dialogs).toHaveLength(0);
    });

    it('an old CSeq: 500 (RFC 3261 §12.2.2)', async () => {
      const h = new SubscriptionHarness();
      const { first } = await active(h);
      h.deliver(notifyFor(first, { state: 'active', seq: 5 }));
      expect(h.deliver(notifyFor(first, { state: 'active', seq: 4 })).status).toBe(500);
    });
  });

  describe('unsubscribe (§4.1.2.3)', () => {
    it('sends Expires: 0 in the dialog; the NOTIFY "terminated" ends it without retry', async () => {
      const h = new SubscriptionHarness();
      const { first, subscription, log } = await active(h);
      subscription.unsubscribe();
      await h.flush();
      const unsubscribe = h.last('SUBSCRIBE');
      expect(unsubscribe.expires).toBe(0);
      expect(unsubscribe.to.tag).toBe('notifier1');
      h.answer(unsubscribe, 200, { headers: [['Expires', '0']] });
      await h.flush();
      h.deliver(notifyFor(first, { state: 'terminated;reason=timeout', seq: 2 }));
      await vi.advanceTimersByTimeAsync(60_000);
      expect(subscription.state).toBe(SubscriberState.Terminated);
      expect(log.terminated).toEqual([{ cause: 'unsubscribed', reason: 'timeout' }]);
      expect(h.sent('SUBSCRIBE')).toHaveLength(2);
      expect(h.dialogs.size).toBe(0);
    });

    it('without a final NOTIFY it ends 64·T1 later', async () => {
      const h = new SubscriptionHarness();
      const { subscription, log } = await active(h);
      subscription.unsubscribe();
      await h.flush();
      h.answer(h.last('SUBSCRIBE'), 200);
      await vi.advanceTimersByTimeAsync(31_999);
      expect(subscription.state).toBe(SubscriberState.Active);
      await vi.advanceTimersByTimeAsync(1);
      expect(log.terminated).toEqual([{ cause: 'unsubscribed' }]);
    });

    it('before the 2xx: the dialog it makes is unsubscribed at once', async () => {
      const h = new SubscriptionHarness();
      const { first, subscription } = await subscribe(h);
      subscription.unsubscribe();
      h.answer(first, 200, { headers: [['Expires', '600']] });
      await h.flush();
      expect(h.last('SUBSCRIBE').expires).toBe(0);
      expect(h.last('SUBSCRIBE').to.tag).toBe('notifier1');
    });

    it('while waiting to retry: the retry is dropped', async () => {
      const h = new SubscriptionHarness();
      const { first, subscription, log } = await active(h);
      h.deliver(notifyFor(first, { state: 'terminated;reason=probation', seq: 2 }));
      subscription.unsubscribe();
      await vi.advanceTimersByTimeAsync(120_000);
      expect(h.sent('SUBSCRIBE')).toHaveLength(1);
      expect(log.terminated).toEqual([{ cause: 'unsubscribed' }]);
    });
  });
});
