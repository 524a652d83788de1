/**
 * Alice transfers bob to carol inside their call (RFC 3515, RFC 5589): the REFER's implicit
 * subscription lives in the INVITE dialog on both sides — bob's `ReferNotifier` reports the
 * progress of his INVITE to carol as message/sipfrag, alice's `ReferSubscriber` reads it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dialog } from '../../../../../main/core/sip/dialogs/index.js';
import { createResponse } from '../../../../../main/core/sip/messages/create-response.js';
import { SipRequest } from '../../../../../main/core/sip/messages/index.js';
import {
  NotifierState,
  ReferNotifier,
  ReferSubscriber,
  SubscriberState,
  type ReferProgress,
  type SubscriptionTermination,
} from '../../../../../main/core/sip/subscriptions/index.js';
import { FakeServerTransaction, SubscriptionHarness } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const ALICE = '<sip:alice@192.0.2.1:5060>';
const BOB = '<sip:bob@192.0.2.10:5060>';

/** The established call: alice called bob; each side's view of the INVITE dialog. */
function call() {
  const invite = new SipRequest({
    method: 'INVITE',
    uri: 'sip:bob@example.test',
    headers: [
      ['Via', 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKinv'],
      ['From', '"Alice" <sip:alice@example.test>;tag=alicetag'],
      ['To', '<sip:bob@example.test>'],
      ['Call-ID', 'call-7'],
      ['CSeq', '1 INVITE'],
      ['Contact', ALICE],
    ],
  });
  const ok = createResponse(invite, 200, { toTag: 'bobtag', headers: [['Contact', BOB]] });
  return { alice: Dialog.asUac(invite, ok, ALICE), bob: Dialog.asUas(invite, ok, BOB) };
}

function transfer() {
  const dialogs = call();
  const aliceSide = new SubscriptionHarness();
  const bobSide = new SubscriptionHarness();
  const refer = dialogs.alice.createRequest('REFER', { headers: [['Refer-To', '<sip:carol@example.test>']] });
  dialogs.bob.receiveRequest(refer);
  const progress: ReferProgress[] = [];
  const ended: SubscriptionTermination[] = [];
  const subscriber = new ReferSubscriber({
    dialog: dialogs.alice,
    refer,
    send: (build) => aliceSide.context.exchange(build),
    delegate: { onProgress: (p) => progress.push(p), onTerminated: (t) => ended.push(t) },
  });
  const notifier = new ReferNotifier({ dialog: dialogs.bob, refer, send: (build) => bobSide.context.exchange(build) });
  /** Bob's last NOTIFY, handed by alice's INVITE session to the subscriber. */
  const carry = (): FakeServerTransaction => {
    const notify = bobSide.last('NOTIFY');
    const transaction = new FakeServerTransaction();
    expect(subscriber.matches(notify)).toBe(true);
    subscriber.receiveRequest(notify, transaction);
    bobSide.answer(notify, transaction.status!);
    return transaction;
  };
  return { dialogs, refer, subscriber, notifier, aliceSide, bobSide, progress, ended, carry };
}

describe('REFER implicit subscription (RFC 3515 §2.4)', () => {
  it('bob reports 100, 180, 200 as sipfrag NOTIFYs in the INVITE dialog; alice sees each', async () => {
    const t = transfer();
    t.notifier.progress(100, 'Trying');
    const first = t.bobSide.last('NOTIFY');
    expect(first.callId).toBe('call-7');
    expect(first.from.tag).toBe('bobtag');
    expect(first.to.tag).toBe('alicetag');
    expect(first.get('Event')).toBe(`refer;id=${t.refer.cseq.seq}`);
    expect(first.get('Subscription-State')).toBe('active;expires=60');
    expect(first.get('Content-Type')).toBe('message/sipfrag;version=2.0');
    expect(first.bodyText).toBe('SIP/2.0 100 Trying\r\n');
    expect(t.carry().status).toBe(200);
    await t.bobSide.flush();
    t.notifier.progress(180, 'Ringing');
    t.carry();
    await t.bobSide.flush();
    t.notifier.progress(200, 'OK');
    expect(t.bobSide.last('NOTIFY').get('Subscription-State')).toBe('terminated;reason=noresource');
    t.carry();
    await t.bobSide.flush();
    expect(t.progress).toEqual([
      { status: 100, reason: 'Trying', final: false },
      { status: 180, reason: 'Ringing', final: false },
      { status: 200, reason: 'OK', final: true },
    ]);
    expect(t.ended).toEqual([{ cause: 'notify', reason: 'noresource' }]);
    expect(t.subscriber.usage.state).toBe(SubscriberState.Terminated);
    expect(t.notifier.state).toBe(NotifierState.Terminated);
  });

  it('a failed transfer: the final NOTIFY carries the failure', async () => {
    const t = transfer();
    t.notifier.progress(100, 'Trying');
    t.carry();
    await t.bobSide.flush();
    t.notifier.progress(486, 'Busy Here');
    t.carry();
    expect(t.progress.at(-1)).toEqual({ status: 486, reason: 'Busy Here', final: true });
  });

  it('a NOTIFY without id matches the REFER (§2.4.6); another id does not', () => {
    const t = transfer();
    t.notifier.progress(100, 'Trying');
    const notify = t.bobSide.last('NOTIFY');
    notify.set('Event', 'refer');
    expect(t.subscriber.matches(notify)).toBe(true);
    notify.set('Event', 'refer;id=999999');
    expect(t.subscriber.matches(notify)).toBe(false);
    const answered = new FakeServerTransaction();
    t.subscriber.receiveRequest(notify, answered);
    expect(answered.status).toBe(489);
  });

  it('a body that is no sipfrag status line gets 400 and no progress', () => {
    const t = transfer();
    t.notifier.progress(100, 'Trying');
    const notify = t.bobSide.last('NOTIFY');
    notify.body = 'hello';
    const answered = new FakeServerTransaction();
    t.subscriber.receiveRequest(notify, answered);
    expect(answered.status).toBe(400);
    expect(t.progress).toEqual([]);
  });

  it('the implicit subscription expires at the notifier without progress: terminated;reason=timeout', async () => {
    const t = transfer();
    t.notifier.progress(100, 'Trying');
    t.carry();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.bobSide.last('NOTIFY').get('Subscription-State')).toBe('terminated;reason=timeout');
    t.carry();
    expect(t.ended).toEqual([{ cause: 'notify', reason: 'timeout' }]);
  });

  it('and at the subscriber, 64·T1 after its expires passed with no NOTIFY', async () => {
    const t = transfer();
    t.notifier.progress(100, 'Trying');
    t.carry();
    await vi.advanceTimersByTimeAsync(91_999);
    expect(t.ended).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.ended).toEqual([{ cause: 'expired' }]);
    // No refresh is ever sent for a REFER.
    expect(t.aliceSide.sent('SUBSCRIBE')).toHaveLength(0);
  });

  it('alice stops following: SUBSCRIBE Expires: 0 in the dialog; bob ends the subscription (§4.2.1.4)', async () => {
    const t = transfer();
    t.notifier.progress(100, 'Trying');
    t.carry();
    t.subscriber.unsubscribe();
    await t.aliceSide.flush();
    const unsubscribe = t.aliceSide.last('SUBSCRIBE');
    expect(unsubscribe.get('Event')).toBe(`refer;id=${t.refer.cseq.seq}`);
    expect(unsubscribe.expires).toBe(0);
    // CSeq follows the REFER in alice's dialog.
    expect(unsubscribe.cseq.seq).toBe(t.refer.cseq.seq + 1);
    // Bob's INVITE session checks the CSeq in its dialog, then hands the SUBSCRIBE on.
    t.dialogs.bob.receiveRequest(unsubscribe);
    expect(t.notifier.matches(unsubscribe)).toBe(true);
    const answered = new FakeServerTransaction();
    t.notifier.receiveRequest(unsubscribe, answered);
    expect(answered.status).toBe(200);
    expect(t.bobSide.last('NOTIFY').get('Subscription-State')).toBe('terminated;reason=timeout');
    t.aliceSide.answer(unsubscribe, 200);
    t.carry();
    expect(t.ended).toEqual([{ cause: 'unsubscribed', reason: 'timeout' }]);
    expect(t.notifier.state).toBe(NotifierState.Terminated);
  });
});
