/**
 * Bob subscribes to alice's presence and alice's phone is the notifier (RFC 6665 §4.2): the
 * SUBSCRIBE checked and accepted, NOTIFYs, refreshes, expiry, Expires: 0, fetch, failures.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  NotifierState,
  Notifier,
  type Notification,
  type NotifierOptions,
  type NotifierTermination,
} from '../../../../../main/core/sip/subscriptions/index.js';
import { SubscriptionHarness, fromBob } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const pidf = { contentType: 'application/pidf+xml', body: '<presence/>' };

function serve(h: SubscriptionHarness, options: Partial<NotifierOptions> = {}) {
  const notifications: Notification[] = [];
  const notifier = new Notifier(h.context, { packages: ['presence'], onSubscribe: (n) => notifications.push(n), ...options });
  h.onRequest = (request, transaction) => notifier.receiveRequest(request, transaction);
  return notifications;
}

function subscribeRequest(expires?: number, event = 'presence') {
  return fromBob('SUBSCRIBE', {
    headers: [['Event', event], ['Accept', 'application/pidf+xml'], ...(expires === undefined ? [] : [['Expires', `${expires}`] as [string, string]])],
  });
}

/** Bob's SUBSCRIBE accepted; returns the 200 and the notification. */
function accepted(h: SubscriptionHarness, expires = 600) {
  const notifications = serve(h);
  const ended: NotifierTermination[] = [];
  const answered = h.deliver(subscribeRequest(expires));
  const notification = notifications[0]!;
  notification.delegate = { onTerminated: (t) => ended.push(t) };
  notification.accept(pidf);
  const ok = answered.responses[0]!;
  return { notification, ok, ended, toTag: ok.to.tag! };
}

describe('Notifier (RFC 6665 §4.2)', () => {
  it('refuses an event package it does not serve with 489 and Allow-Events (§4.2.1.1)', () => {
    const h = new SubscriptionHarness();
    serve(h, { packages: ['presence', 'dialog'] });
    const answered = h.deliver(subscribeRequest(600, 'message-summary'));
    expect(answered.status).toBe(489);
    expect(answered.responses[0]!.get('Allow-Events')).toBe('presence, dialog');
  });

  it('refuses too short an Expires with 423 and Min-Expires', () => {
    const h = new SubscriptionHarness();
    serve(h, { minExpires: 120 });
    const answered = h.deliver(subscribeRequest(30));
    expect(answered.status).toBe(423);
    expect(answered.responses[0]!.get('Min-Expires')).toBe('120');
  });

  it('refuses a SUBSCRIBE without Event (489) or with a malformed Expires (400)', () => {
    const h = new SubscriptionHarness();
    serve(h);
    expect(h.deliver(fromBob('SUBSCRIBE')).status).toBe(489);
    expect(h.deliver(fromBob('SUBSCRIBE', { headers: [['Event', 'presence'], ['Expires', 'never']] })).status).toBe(400);
  });

  it('refuses a SUBSCRIBE without Contact or From tag with 400 (no dialog could be made)', () => {
    const h = new SubscriptionHarness();
    const notifications = serve(h);
    const noContact = subscribeRequest(600);
    noContact.remove('Contact');
    expect(h.deliver(noContact).status).toBe(400);
    const noTag = subscribeRequest(600);
    noTag.set('From', '<sip:bob@example.test>');
    expect(h.deliver(noTag).status).toBe(400);
    expect(notifications).toHaveLength(0);
  });

  it('leaves other methods to the core (onRequest returns false)', () => {
    const h = new SubscriptionHarness();
    serve(h);
    expect(h.deliver(fromBob('MESSAGE')).status).toBe(405);
  });

  it('accept(): 200 with Expires and Contact, then NOTIFY active with the state (§4.2.1.1, §4.2.2)', () => {
    const h = new SubscriptionHarness();
    const { notification, ok, toTag } = accepted(h);
    expect(ok.status).toBe(200);
    expect(ok.expires).toBe(600);
    expect(ok.get('Contact')).toBe('<sip:alice@192.0.2.1:5060>');
    expect(notification.acceptedTypes).toEqual(['application/pidf+xml']);
    expect(notification.subscriber.uri.toString()).toBe('sip:bob@example.test');
    const notify = h.last('NOTIFY');
    expect(notify.uri.toString()).toBe('sip:bob@192.0.2.10:5060');
    expect(notify.from.tag).toBe(toTag);
    expect(notify.to.tag).toBe('bobtag');
    expect(notify.callId).toBe('sub-call-1');
    expect(notify.get('Event')).toBe('presence');
    expect(notify.get('Subscription-State')).toBe('active;expires=600');
    expect(notify.get('Content-Type')).toBe('application/pidf+xml');
    expect(notify.bodyText).toBe('<presence/>');
    expect(notification.state).toBe(NotifierState.Active);
  });

  it('grants no more than maxExpires', () => {
    const h = new SubscriptionHarness();
    const notifications = serve(h, { maxExpires: 1200 });
    const answered = h.deliver(subscribeRequest(7200));
    notifications[0]!.accept();
    expect(answered.responses[0]!.expires).toBe(1200);
  });

  it('defer(): NOTIFY pending, then activate(): NOTIFY active (authorization decided later)', async () => {
    const h = new SubscriptionHarness();
    const notifications = serve(h);
    h.deliver(subscribeRequest(600));
    const notification = notifications[0]!;
    notification.defer();
    const first = h.last('NOTIFY');
    expect(first.get('Subscription-State')).toBe('pending;expires=600');
    expect(first.body.length).toBe(0);
    h.answer(first, 200);
    await h.flush();
    await vi.advanceTimersByTimeAsync(10_000);
    notification.activate(pidf);
    expect(h.last('NOTIFY').get('Subscription-State')).toBe('active;expires=590');
  });

  it('reject(): the status, and no dialog', () => {
    const h = new SubscriptionHarness();
    const notifications = serve(h);
    const answered = h.deliver(subscribeRequest(600));
    notifications[0]!.reject(403);
    expect(answered.status).toBe(403);
    expect(h.dialogs.size).toBe(0);
    expect(h.sent('NOTIFY')).toHaveLength(0);
  });

  it('one NOTIFY at a time: a newer state waits for the answer and goes alone', async () => {
    const h = new SubscriptionHarness();
    const { notification } = accepted(h);
    notification.notify({ contentType: 'application/pidf+xml', body: '<presence>2</presence>' });
    notification.notify({ contentType: 'application/pidf+xml', body: '<presence>3</presence>' });
    expect(h.sent('NOTIFY')).toHaveLength(1);
    h.answer(h.last('NOTIFY'), 200);
    await h.flush();
    expect(h.sent('NOTIFY')).toHaveLength(2);
    expect(h.last('NOTIFY').bodyText).toBe('<presence>3</presence>');
    expect(h.last('NOTIFY').cseq.seq).toBe(h.sent('NOTIFY')[0]!.cseq.seq + 1);
  });

  it('expiry without refresh: NOTIFY terminated;reason=timeout, then the dialog is gone', async () => {
    const h = new SubscriptionHarness();
    const { ended } = accepted(h);
    h.answer(h.last('NOTIFY'), 200);
    await vi.advanceTimersByTimeAsync(599_999);
    expect(h.sent('NOTIFY')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const last = h.last('NOTIFY');
    expect(last.get('Subscription-State')).toBe('terminated;reason=timeout');
    expect(last.bodyText).toBe('<presence/>');
    h.answer(last, 200);
    await h.flush();
    expect(ended).toEqual([{ by: 'expired', reason: 'timeout' }]);
    expect(h.dialogs.size).toBe(0);
  });

  it('a refresh in the dialog: 200 with Expires, a NOTIFY at once, expiry restarted (§4.2.1.2)', async () => {
    const h = new SubscriptionHarness();
    const { toTag } = accepted(h);
    h.answer(h.last('NOTIFY'), 200);
    await vi.advanceTimersByTimeAsync(500_000);
    const answered = h.deliver(fromBob('SUBSCRIBE', { toTag, seq: 2, headers: [['Event', 'presence'], ['Expires', '600']] }));
    expect(answered.status).toBe(200);
    expect(answered.responses[0]!.expires).toBe(600);
    expect(h.last('NOTIFY').get('Subscription-State')).toBe('active;expires=600');
    h.answer(h.last('NOTIFY'), 200);
    await vi.advanceTimersByTimeAsync(599_000);
    expect(h.sent('NOTIFY')).toHaveLength(2);
  });

  it('a refresh asking too little gets 423; one for another event 489', () => {
    const h = new SubscriptionHarness();
    const { toTag } = accepted(h);
    const short = h.deliver(fromBob('SUBSCRIBE', { toTag, seq: 2, headers: [['Event', 'presence'], ['Expires', '5']] }));
    expect(short.status).toBe(423);
    expect(short.responses[0]!.get('Min-Expires')).toBe('60');
    expect(h.deliver(fromBob('SUBSCRIBE', { toTag, seq: 3, headers: [['Event', 'dialog'], ['Expires', '600']] })).status).toBe(489);
  });

  it('Expires: 0 in the dialog: 200, NOTIFY terminated with the state, then gone (§4.2.1.4)', async () => {
    const h = new SubscriptionHarness();
    const { toTag, ended } = accepted(h);
    h.answer(h.last('NOTIFY'), 200);
    await h.flush();
    const answered = h.deliver(fromBob('SUBSCRIBE', { toTag, seq: 2, headers: [['Event', 'presence'], ['Expires', '0']] }));
    expect(answered.status).toBe(200);
    const last = h.last('NOTIFY');
    expect(last.get('Subscription-State')).toBe('terminated;reason=timeout');
    h.answer(last, 200);
    await h.flush();
    expect(ended).toEqual([{ by: 'subscriber', reason: 'timeout' }]);
    expect(h.deliver(fromBob('SUBSCRIBE', { toTag, seq: 3, headers: [['Event', 'presence']] })).status).toBe(481);
  });

  it('a SUBSCRIBE with Expires: 0 outside a dialog is a fetch: one NOTIFY, terminated (§4.4.3)', async () => {
    const h = new SubscriptionHarness();
    const notifications = serve(h);
    const answered = h.deliver(subscribeRequest(0));
    notifications[0]!.accept(pidf);
    expect(answered.responses[0]!.expires).toBe(0);
    const notify = h.last('NOTIFY');
    expect(notify.get('Subscription-State')).toBe('terminated;reason=timeout');
    expect(notify.bodyText).toBe('<presence/>');
    h.answer(notify, 200);
    await h.flush();
    expect(h.dialogs.size).toBe(0);
  });

  it('terminate() with a reason and retry-after', async () => {
    const h = new SubscriptionHarness();
    const { notification, ended } = accepted(h);
    h.answer(h.last('NOTIFY'), 200);
    await h.flush();
    notification.terminate('probation', { retryAfter: 120 });
    expect(h.last('NOTIFY').get('Subscription-State')).toBe('terminated;reason=probation;retry-after=120');
    h.answer(h.last('NOTIFY'), 200);
    await h.flush();
    expect(ended).toEqual([{ by: 'local', reason: 'probation' }]);
    expect(notification.state).toBe(NotifierState.Terminated);
  });

  it.each([
    ['a 481', 481],
    ['no answer (Timer F)', undefined],
  ])('%s to a NOTIFY removes the subscription (§4.2.2)', async (_what, status) => {
    const h = new SubscriptionHarness();
    const { notification, ended } = accepted(h);
    if (status === undefined) h.timeout(h.last('NOTIFY'));
    else h.answer(h.last('NOTIFY'), status);
    await h.flush();
    expect(notification.state).toBe(NotifierState.Terminated);
    expect(ended).toEqual([{ by: 'failed', reason: 'deactivated', ...(status === undefined ? {} : { code: status }) }]);
    expect(h.dialogs.size).toBe(0);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(h.sent('NOTIFY')).toHaveLength(1);
  });
});
