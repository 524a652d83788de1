/**
 * Transfers in a call (RFC 3515 REFER, RFC 3891 Replaces, RFC 5589): the REFER we send and the
 * NOTIFYs that report on it, the REFER we receive and the NOTIFYs we send, an INVITE that
 * replaces one of our dialogs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SipRequest } from '../../../../../main/core/sip/messages/index.js';
import { parseUri } from '../../../../../main/core/sip/uri/index.js';
import {
  attendedReferTo,
  SessionState,
  type IncomingRefer,
  type InviteServerSession,
  type ReferProgress,
} from '../../../../../main/core/sip/user-agent/index.js';
import { harness, peerRequest, sdpState, PEER_CONTACT, type Harness } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** We call bob and he answers. */
async function placedCall(h: Harness) {
  const progress: ReferProgress[] = [];
  const refers: IncomingRefer[] = [];
  const session = h.ua.invite({
    target: 'sip:bob@example.test',
    sdp: sdpState(),
    delegate: { onReferProgress: (p) => progress.push(p), onRefer: (r) => refers.push(r) },
  });
  await h.flush();
  const [invite] = h.sent('INVITE');
  const bob = sdpState(50000);
  h.answer(invite!, 200, { body: bob.createAnswer(invite!.bodyText).sdp });
  await h.flush();
  return { session, progress, refers, localTag: session.dialogId!.localTag };
}

/** A request from bob in the dialog of `placedCall`, with any body type. */
function inDialog(session: { callId: string }, localTag: string, method: string, seq: number, headers: [string, string][], body?: string): SipRequest {
  return new SipRequest({
    method,
    uri: 'sip:alice@192.0.2.1:5060',
    headers: [
      ['Via', `SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKrefer${method}${seq}`],
      ['Max-Forwards', '70'],
      ['From', '<sip:bob@example.test>;tag=bobtag'],
      ['To', `<sip:alice@example.test>;tag=${localTag}`],
      ['Call-ID', session.callId],
      ['CSeq', `${seq} ${method}`],
      ['Contact', PEER_CONTACT],
      ...headers,
    ],
    ...(body === undefined ? {} : { body }),
  });
}

const notify = (id: string, state: string): [string, string][] => [
  ['Event', `refer;id=${id}`],
  ['Subscription-State', state],
  ['Content-Type', 'message/sipfrag;version=2.0'],
];

describe('we transfer (REFER out)', () => {
  it('sends REFER with Refer-To and Referred-By, and reports each NOTIFY until the final one', async () => {
    const h = harness();
    const { session, progress, localTag } = await placedCall(h);
    const referred = session.refer('<sip:carol@example.test>');
    await h.flush();
    const refer = h.sent('REFER').at(-1)!;
    expect(refer.get('Refer-To')).toBe('<sip:carol@example.test>');
    expect(refer.get('Referred-By')).toBe('"Alice" <sip:alice@example.test>');
    expect(refer.to.tag).toBe('bobtag');
    h.answer(refer, 202);
    const outcome = await referred;
    expect(outcome).toMatchObject({ status: 202, id: String(refer.cseq.seq) });

    h.deliver(inDialog(session, localTag, 'NOTIFY', 10, notify(outcome.id, 'active;expires=60'), 'SIP/2.0 100 Trying\r\n'));
    h.deliver(inDialog(session, localTag, 'NOTIFY', 11, notify(outcome.id, 'active;expires=60'), 'SIP/2.0 180 Ringing\r\n'));
    h.deliver(inDialog(session, localTag, 'NOTIFY', 12, notify(outcome.id, 'terminated;reason=noresource'), 'SIP/2.0 200 OK\r\n'));
    expect(h.responses(200).filter((r) => r.cseq.method === 'NOTIFY')).toHaveLength(3);
    expect(progress).toEqual([
      { id: outcome.id, status: 100, reason: 'Trying', final: false },
      { id: outcome.id, status: 180, reason: 'Ringing', final: false },
      { id: outcome.id, status: 200, reason: 'OK', final: true },
    ]);
    // The subscription is over: a further NOTIFY for it is 481.
    h.deliver(inDialog(session, localTag, 'NOTIFY', 13, notify(outcome.id, 'terminated'), 'SIP/2.0 200 OK\r\n'));
    expect(h.responses(481).at(-1)!.cseq.method).toBe('NOTIFY');
  });

  it('a refused REFER resolves with its status and opens no subscription', async () => {
    const h = harness();
    const { session, localTag } = await placedCall(h);
    const referred = session.refer('<sip:carol@example.test>');
    await h.flush();
    const refer = h.sent('REFER').at(-1)!;
    h.answer(refer, 603);
    expect((await referred).status).toBe(603);
    h.deliver(inDialog(session, localTag, 'NOTIFY', 10, notify(String(refer.cseq.seq), 'active'), 'SIP/2.0 100 Trying\r\n'));
    expect(h.responses(481)).toHaveLength(1);
  });

  it('a NOTIFY that overtakes the 202 is still taken', async () => {
    const h = harness();
    const { session, progress, localTag } = await placedCall(h);
    const referred = session.refer('<sip:carol@example.test>');
    await h.flush();
    const refer = h.sent('REFER').at(-1)!;
    h.deliver(inDialog(session, localTag, 'NOTIFY', 10, notify(String(refer.cseq.seq), 'active'), 'SIP/2.0 100 Trying\r\n'));
    h.answer(refer, 202);
    await referred;
    expect(progress).toHaveLength(1);
  });

  it('NOTIFYs of another package get 489, a bad sipfrag 400, and no Subscription-State 400', async () => {
    const h = harness();
    const { session, progress, localTag } = await placedCall(h);
    const referred = session.refer('<sip:carol@example.test>');
    await h.flush();
    const refer = h.sent('REFER').at(-1)!;
    h.answer(refer, 202);
    const { id } = await referred;
    h.deliver(inDialog(session, localTag, 'NOTIFY', 10, [['Event', 'presence'], ['Subscription-State', 'active']]));
    expect(h.responses(489)).toHaveLength(1);
    h.deliver(inDialog(session, localTag, 'NOTIFY', 11, notify(id, 'active'), 'garbage'));
    h.deliver(inDialog(session, localTag, 'NOTIFY', 12, [['Event', `refer;id=${id}`], ['Content-Type', 'message/sipfrag']], 'SIP/2.0 200 OK\r\n'));
    expect(h.responses(400)).toHaveLength(2);
    expect(progress).toEqual([]);
  });

  it('an attended transfer names the consultation dialog as the target sees it (RFC 3891 §3)', () => {
    const referTo = attendedReferTo(parseUri('sip:carol@example.test'), { callId: 'abc@host', localTag: 'ours', remoteTag: 'carols' });
    expect(referTo).toBe('<sip:carol@example.test?Replaces=abc%40host%3Bto-tag%3Dcarols%3Bfrom-tag%3Dours>');
  });
});

describe('we are transferred (REFER in)', () => {
  it('accepting answers 202 and sends NOTIFY 100 Trying, progress, then a final NOTIFY that ends the subscription', async () => {
    const h = harness();
    const { session, refers, localTag } = await placedCall(h);
    h.deliver(inDialog(session, localTag, 'REFER', 20, [['Refer-To', '<sip:carol@example.test>'], ['Referred-By', '<sip:bob@example.test>']]));
    expect(refers).toHaveLength(1);
    const refer = refers[0]!;
    expect(refer.target.uri.toString()).toBe('sip:carol@example.test');
    expect(refer.target.replaces).toBeUndefined();
    expect(refer.referredBy).toBe('<sip:bob@example.test>');
    refer.accept();
    await h.flush();
    expect(h.responses(202)).toHaveLength(1);
    const first = h.sent('NOTIFY').at(-1)!;
    expect(first.get('Event')).toBe('refer;id=20');
    expect(first.get('Subscription-State')).toBe('active;expires=60');
    expect(first.get('Content-Type')).toBe('message/sipfrag;version=2.0');
    expect(first.bodyText).toBe('SIP/2.0 100 Trying\r\n');
    h.answer(first, 200);
    void refer.progress(180, 'Ringing');
    await h.flush();
    h.answer(h.sent('NOTIFY').at(-1)!, 200);
    void refer.progress(200, 'OK');
    await h.flush();
    const last = h.sent('NOTIFY').at(-1)!;
    expect(last.get('Subscription-State')).toBe('terminated;reason=noresource');
    expect(last.bodyText).toBe('SIP/2.0 200 OK\r\n');
    h.answer(last, 200);
    expect(refer.isOpen).toBe(false);
    // Nothing more after the final NOTIFY.
    void refer.progress(180, 'Ringing');
    await h.flush();
    expect(h.sent('NOTIFY')).toHaveLength(3);
  });

  it('reads the Replaces of an attended transfer from the Refer-To URI', async () => {
    const h = harness();
    const { session, refers, localTag } = await placedCall(h);
    h.deliver(inDialog(session, localTag, 'REFER', 20, [['Refer-To', '<sip:carol@example.test?Replaces=abc%40host%3Bto-tag%3Dc%3Bfrom-tag%3Db>']]));
    const target = refers[0]!.target;
    expect(target.uri.toString()).toBe('sip:carol@example.test');
    expect(target.replaces).toMatchObject({ callId: 'abc@host', toTag: 'c', fromTag: 'b' });
  });

  it('declining answers 603', async () => {
    const h = harness();
    const { session, refers, localTag } = await placedCall(h);
    h.deliver(inDialog(session, localTag, 'REFER', 20, [['Refer-To', '<sip:carol@example.test>']]));
    refers[0]!.reject();
    expect(h.responses(603)).toHaveLength(1);
    expect(h.sent('NOTIFY')).toHaveLength(0);
  });

  it.each([
    ['no Refer-To', [] as [string, string][], 400],
    ['two Refer-To', [['Refer-To', '<sip:a@x.test>'], ['Refer-To', '<sip:b@x.test>']] as [string, string][], 400],
    ['a malformed Refer-To', [['Refer-To', '<sip:@@>']] as [string, string][], 400],
    ['an http Refer-To', [['Refer-To', '<http://example.test/>']] as [string, string][], 403],
    ['a bad Replaces', [['Refer-To', '<sip:c@x.test?Replaces=%3B%3B>']] as [string, string][], 400],
  ])('%s is refused (%s) and the call goes on', async (_name, headers, status) => {
    const h = harness();
    const { session, refers, localTag } = await placedCall(h);
    const refused: number[] = [];
    session.delegate = { ...session.delegate, onReferRefused: (code) => refused.push(code) };
    h.deliver(inDialog(session, localTag, 'REFER', 20, headers));
    expect(h.responses(status).at(-1)!.cseq.method).toBe('REFER');
    expect(refused).toEqual([status]);
    expect(refers).toHaveLength(0);
    expect(session.state).toBe(SessionState.Established);
  });

  it('a session whose owner takes no REFERs declines them (603)', async () => {
    const h = harness();
    const session = h.ua.invite({ target: 'sip:bob@example.test', sdp: sdpState() });
    await h.flush();
    const invite = h.sent('INVITE')[0]!;
    h.answer(invite, 200, { body: sdpState(50000).createAnswer(invite.bodyText).sdp });
    await h.flush();
    h.deliver(inDialog(session, session.dialogId!.localTag, 'REFER', 20, [['Refer-To', '<sip:carol@example.test>']]));
    expect(h.responses(603)).toHaveLength(1);
  });
});

describe('INVITE with Replaces (RFC 3891)', () => {
  it('names the session it replaces, which the owner then ends', async () => {
    const h = harness();
    const { session, localTag } = await placedCall(h);
    h.deliver(peerRequest('INVITE', { callId: 'other', fromTag: 'carol', body: sdpState(50010).createOffer(), headers: [['Replaces', `${session.callId};to-tag=${localTag};from-tag=bobtag`]] }));
    const incoming: InviteServerSession = h.incoming.at(-1)!;
    expect(incoming.replaces).toBe(session);
  });

  it.each([
    ['no such dialog', (callId: string, tag: string) => `${callId};to-tag=${tag};from-tag=nobody`, 481],
    ['no tags', (callId: string) => callId, 400],
    ['early-only but confirmed', (callId: string, tag: string) => `${callId};to-tag=${tag};from-tag=bobtag;early-only`, 486],
  ])('%s → %s', async (_name, replaces, status) => {
    const h = harness();
    const { session, localTag } = await placedCall(h);
    const before = h.incoming.length;
    h.deliver(peerRequest('INVITE', { callId: 'other', fromTag: 'carol', body: sdpState(50010).createOffer(), headers: [['Replaces', replaces(session.callId, localTag)]] }));
    expect(h.responses(status).at(-1)!.cseq.method).toBe('INVITE');
    expect(h.incoming).toHaveLength(before);
  });

  it('an ended dialog → 603', async () => {
    const h = harness();
    const { session, localTag } = await placedCall(h);
    session.bye();
    await h.flush();
    h.deliver(peerRequest('INVITE', { callId: 'other', fromTag: 'carol', body: sdpState(50010).createOffer(), headers: [['Replaces', `${session.callId};to-tag=${localTag};from-tag=bobtag`]] }));
    // The BYE removed the dialog at once: nothing matches any more.
    expect(h.responses().at(-1)!.status).toBeOneOf([481, 603]);
  });
});
