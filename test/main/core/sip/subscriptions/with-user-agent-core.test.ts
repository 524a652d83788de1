/**
 * Subscriptions over the real user agent core, transaction layer and an in-memory transport:
 * alice subscribes to bob's presence through `sessionContext`, and serves her own through
 * `onRequest` (RFC 6665 §4.1, §4.2).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SipRequest } from '../../../../../main/core/sip/messages/index.js';
import { Notifier, SubscriberState, Subscription, type EventNotification, type Notification } from '../../../../../main/core/sip/subscriptions/index.js';
import { harness, peerRequest, type Harness } from '../user-agent/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function notifyTo(h: Harness, subscribe: SipRequest, seq: number, state: string): void {
  h.deliver(
    new SipRequest({
      method: 'NOTIFY',
      uri: 'sip:alice@192.0.2.1:5060',
      headers: [
        ['Via', `SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnotify${seq}`],
        ['Max-Forwards', '70'],
        ['From', '<sip:bob@example.test>;tag=bobtag'],
        ['To', subscribe.get('From')!],
        ['Call-ID', subscribe.callId],
        ['CSeq', `${seq} NOTIFY`],
        ['Contact', '<sip:bob@192.0.2.10:5060>'],
        ['Event', 'presence'],
        ['Subscription-State', state],
        ['Content-Type', 'application/pidf+xml'],
      ],
      body: '<presence entity="sip:bob@example.test"/>',
    }),
  );
}

describe('subscriptions through UserAgentCore', () => {
  it('alice subscribes to bob: SUBSCRIBE, 200, NOTIFY routed to the subscription, refresh in the dialog', async () => {
    const h = harness();
    const notifications: EventNotification[] = [];
    const subscription = new Subscription(h.ua.sessionContext, {
      target: 'sip:bob@example.test',
      event: 'presence',
      accept: ['application/pidf+xml'],
      expires: 600,
      delegate: { onNotify: (n) => notifications.push(n) },
    });
    subscription.subscribe();
    await h.flush();
    const [subscribe] = h.sent('SUBSCRIBE');
    h.answer(subscribe!, 200, { headers: [['Expires', '600']] });
    await h.flush();
    notifyTo(h, subscribe!, 1, 'active;expires=600');
    expect(h.responses(200).at(-1)!.cseq.method).toBe('NOTIFY');
    expect(subscription.state).toBe(SubscriberState.Active);
    expect(notifications[0]!.text).toContain('sip:bob@example.test');
    await vi.advanceTimersByTimeAsync(568_000);
    const refresh = h.sent('SUBSCRIBE')[1]!;
    expect(refresh.to.tag).toBe('bobtag');
    expect(refresh.uri.toString()).toBe('sip:bob@192.0.2.10:5060');
    subscription.unsubscribe();
  });

  it('bob subscribes to alice: onRequest hands the SUBSCRIBE to the Notifier, NOTIFY goes out', async () => {
    const served: { notifier?: Notifier } = {};
    const notifications: Notification[] = [];
    const h = harness({ onRequest: (request, transaction) => served.notifier?.receiveRequest(request, transaction) === true });
    served.notifier = new Notifier(h.ua.sessionContext, { packages: ['presence'], onSubscribe: (n) => notifications.push(n) });
    h.deliver(peerRequest('SUBSCRIBE', { headers: [['Event', 'presence'], ['Expires', '600']] }));
    notifications[0]!.accept({ contentType: 'application/pidf+xml', body: '<presence/>' });
    await h.flush();
    const ok = h.responses(200).at(-1)!;
    expect(ok.cseq.method).toBe('SUBSCRIBE');
    const [notify] = h.sent('NOTIFY');
    expect(notify!.get('Subscription-State')).toBe('active;expires=600');
    expect(h.ua.dialogCount).toBe(1);
    h.answer(notify!, 200);
    await h.flush();
    // Bob's refresh reaches the notification through the core's dialog routing.
    h.deliver(peerRequest('SUBSCRIBE', { toTag: ok.to.tag!, seq: 2, headers: [['Event', 'presence'], ['Expires', '0']] }));
    await h.flush();
    expect(h.sent('NOTIFY').at(-1)!.get('Subscription-State')).toBe('terminated;reason=timeout');
  });
});
