/**
 * Inside an established call: BYE (§15), re-INVITE and UPDATE offers both ways (§14, RFC 3311),
 * glare (§14.1), and session timers (RFC 4028).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionState, type InviteSession, type TerminationInfo } from '../../../../../main/core/sip/user-agent/index.js';
import { harness, peerRequest, sdpState, type Harness } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const peerSdp = () => sdpState(50000);

/** bob calls us and we answer: we are the UAS, bob owns the Call-ID. */
function answeredCall(h: Harness, headers: [string, string][] = []) {
  const bob = peerSdp();
  h.deliver(peerRequest('INVITE', { body: bob.createOffer(), headers: [['Allow', 'INVITE, ACK, BYE, CANCEL, UPDATE'], ...headers] }));
  const session = h.incoming[0]!;
  const ended: TerminationInfo[] = [];
  const media: string[] = [];
  session.delegate = { onTerminated: (i) => ended.push(i), onSessionDescription: (m) => media.push(m.direction) };
  session.answer(sdpState());
  bob.processAnswer(h.responses(200)[0]!.bodyText);
  h.deliver(peerRequest('ACK', { toTag: session.localTag }));
  return { session, bob, ended, media, toTag: session.localTag };
}

/** We call bob and he answers: we are the UAC and own the Call-ID. */
async function placedCall(h: Harness, answerHeaders: [string, string][] = []) {
  const ended: TerminationInfo[] = [];
  const media: string[] = [];
  const session = h.ua.invite({
    target: 'sip:bob@example.test',
    sdp: sdpState(),
    delegate: { onTerminated: (i) => ended.push(i), onSessionDescription: (m) => media.push(m.direction) },
  });
  await h.flush();
  const [invite] = h.sent('INVITE');
  const bob = peerSdp();
  h.answer(invite!, 200, { body: bob.createAnswer(invite!.bodyText).sdp, headers: [['Allow', 'INVITE, ACK, BYE, CANCEL, UPDATE'], ...answerHeaders] });
  await h.flush();
  return { session, invite: invite!, bob, ended, media };
}

function lastSent(h: Harness, method: string) {
  return h.sent(method).at(-1)!;
}

describe('in-dialog requests', () => {
  it('a BYE from the peer is answered 200 and ends the call (§15.1.2)', async () => {
    const h = harness();
    const { session, ended } = await placedCall(h);
    h.deliver(peerRequest('BYE', { callId: session.callId, fromTag: 'bobtag', toTag: session.dialogId!.localTag, seq: 5 }));
    expect(h.responses(200).at(-1)!.cseq.method).toBe('BYE');
    expect(ended).toEqual([{ by: 'remote' }]);
    expect(h.ua.dialogCount).toBe(0);
  });

  it('an old CSeq in the dialog is refused with 500 (§12.2.2)', () => {
    const h = harness();
    const { toTag } = answeredCall(h);
    h.deliver(peerRequest('UPDATE', { toTag, seq: 1 }));
    expect(h.responses(500)).toHaveLength(1);
  });

  it('hold and resume by re-INVITE: sendonly, then sendrecv, each ACKed (RFC 6337 §5.3)', async () => {
    const h = harness();
    const { session, bob, media } = await placedCall(h);
    const held = session.hold();
    await h.flush();
    const reinvite = lastSent(h, 'INVITE');
    expect(reinvite.bodyText).toContain('a=sendonly');
    expect(reinvite.to.tag).toBe('bobtag');
    h.answer(reinvite, 200, { body: bob.createAnswer(reinvite.bodyText).sdp });
    await held;
    await h.flush();
    expect(lastSent(h, 'ACK').cseq.seq).toBe(reinvite.cseq.seq);
    const resumed = session.resume();
    await h.flush();
    const second = lastSent(h, 'INVITE');
    expect(second.bodyText).toContain('a=sendrecv');
    h.answer(second, 200, { body: bob.createAnswer(second.bodyText).sdp });
    await resumed;
    expect(media).toEqual(['sendrecv', 'sendonly', 'sendrecv']);
  });

  it('hold by UPDATE (RFC 3311 §5.1)', async () => {
    const h = harness();
    const { session, bob, media } = await placedCall(h);
    const held = session.hold('UPDATE');
    await h.flush();
    const update = lastSent(h, 'UPDATE');
    expect(update.bodyText).toContain('a=sendonly');
    h.answer(update, 200, { body: bob.createAnswer(update.bodyText).sdp });
    await held;
    expect(media.at(-1)).toBe('sendonly');
  });

  it.each(['INVITE', 'UPDATE'] as const)('answers a peer %s offer (hold) and reports the remote hold', async (method) => {
    const h = harness();
    const { session, bob, toTag, media } = answeredCall(h);
    bob.hold();
    h.deliver(peerRequest(method, { toTag, seq: 2, body: bob.createOffer() }));
    const ok = h.responses(200).filter((r) => r.cseq.method === method).at(-1)!;
    expect(ok.bodyText).toContain('a=recvonly');
    expect(media.at(-1)).toBe('recvonly');
    if (method === 'INVITE') h.deliver(peerRequest('ACK', { toTag, seq: 2 }));
    expect(session.state).toBe(SessionState.Established);
  });

  it('a re-INVITE not ACKed is retransmitted, then a BYE ends the call (§13.3.1.4)', async () => {
    const h = harness();
    const { bob, toTag, ended } = answeredCall(h);
    h.deliver(peerRequest('INVITE', { toTag, seq: 2, body: bob.createOffer() }));
    await vi.advanceTimersByTimeAsync(1_500);
    expect(h.responses(200).filter((r) => r.cseq.seq === 2)).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(31_000);
    const bye = lastSent(h, 'BYE');
    h.answer(bye, 200);
    await h.flush();
    expect(ended[0]!.by).toBe('timeout');
  });

  describe('glare (§14.1, §14.2)', () => {
    it('a peer offer while ours is pending gets 491', async () => {
      const h = harness();
      const { session, bob } = await placedCall(h);
      void session.hold();
      await h.flush();
      h.deliver(peerRequest('INVITE', { callId: session.callId, toTag: session.dialogId!.localTag, seq: 9, body: bob.createOffer() }));
      expect(h.responses(491)).toHaveLength(1);
      h.deliver(peerRequest('UPDATE', { callId: session.callId, toTag: session.dialogId!.localTag, seq: 10, body: 'v=0\r\n' }));
      expect(h.responses(491)).toHaveLength(2);
    });

    it.each([
      ['the Call-ID owner (UAC)', 'placed', 0, 2100],
      ['the Call-ID owner (UAC)', 'placed', 0.999, 4000],
      ['not the owner (UAS)', 'answered', 0, 0],
      ['not the owner (UAS)', 'answered', 0.999, 2000],
    ] as const)('after a 491, %s: a %s call with random %d retries after %i ms', async (_who, kind, random, delay) => {
      const h = harness({ random: () => random });
      let session: InviteSession;
      if (kind === 'placed') session = (await placedCall(h)).session;
      else session = answeredCall(h).session;
      const before = h.sent('INVITE').length;
      void session.hold();
      await h.flush();
      h.answer(lastSent(h, 'INVITE'), 491);
      await h.flush();
      if (delay > 0) {
        await vi.advanceTimersByTimeAsync(delay - 10);
        expect(h.sent('INVITE')).toHaveLength(before + 1);
      }
      await vi.advanceTimersByTimeAsync(10);
      expect(h.sent('INVITE')).toHaveLength(before + 2);
      expect(lastSent(h, 'INVITE').bodyText).toContain('a=sendonly');
    });
  });

  describe('session timers (RFC 4028)', () => {
    it('as UAS with refresher=uas: 2xx says so, and we refresh by UPDATE at half the interval', async () => {
      const h = harness();
      const { session } = answeredCall(h, [
        ['Supported', 'timer'],
        ['Session-Expires', '120;refresher=uas'],
      ]);
      const ok = h.responses(200)[0]!;
      expect(ok.get('Session-Expires')).toBe('120;refresher=uas');
      expect(ok.require).toContain('timer');
      expect(session.sessionTimer).toEqual({ interval: 120, refresher: 'uas', localRefresher: true });
      await vi.advanceTimersByTimeAsync(59_999);
      expect(h.sent('UPDATE')).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      const refresh = lastSent(h, 'UPDATE');
      expect(refresh.get('Session-Expires')).toBe('120;refresher=uac');
      h.answer(refresh, 200, { headers: [['Session-Expires', '120;refresher=uac']] });
      await h.flush();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(h.sent('UPDATE')).toHaveLength(2);
    });

    it('as the side that does not refresh: BYE at interval - min(32, interval/3) without a refresh (§10)', async () => {
      const h = harness();
      const { ended } = answeredCall(h, [
        ['Supported', 'timer'],
        ['Session-Expires', '120;refresher=uac'],
      ]);
      await vi.advanceTimersByTimeAsync(87_999);
      expect(h.sent('BYE')).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      h.answer(lastSent(h, 'BYE'), 200);
      await h.flush();
      expect(ended[0]).toMatchObject({ by: 'timeout' });
    });

    it('a refresh from the peer restarts the expiry', async () => {
      const h = harness();
      const { toTag } = answeredCall(h, [
        ['Supported', 'timer'],
        ['Session-Expires', '120;refresher=uac'],
      ]);
      await vi.advanceTimersByTimeAsync(60_000);
      h.deliver(peerRequest('UPDATE', { toTag, seq: 2, headers: [['Supported', 'timer'], ['Session-Expires', '120;refresher=uac']] }));
      await vi.advanceTimersByTimeAsync(60_000);
      expect(h.sent('BYE')).toHaveLength(0);
    });

    it('as UAC: asks for a timer, follows a 422 with its Min-SE, refreshes by re-INVITE when UPDATE is not allowed', async () => {
      const h = harness({ sessionTimer: { expires: 90, minSE: 90 } });
      const session = h.ua.invite({ target: 'sip:bob@example.test', sdp: sdpState() });
      await h.flush();
      const [first] = h.sent('INVITE');
      expect(first!.get('Session-Expires')).toBe('90');
      h.answer(first!, 422, { headers: [['Min-SE', '180']] });
      await h.flush();
      const second = h.sent('INVITE')[1]!;
      expect(second.get('Session-Expires')).toBe('180');
      h.answer(second, 200, { body: peerSdp().createAnswer(second.bodyText).sdp, headers: [['Session-Expires', '180;refresher=uac'], ['Allow', 'INVITE, ACK, BYE']] });
      await h.flush();
      expect(session.sessionTimer).toEqual({ interval: 180, refresher: 'uac', localRefresher: true });
      await vi.advanceTimersByTimeAsync(90_000);
      const refresh = h.sent('INVITE')[2]!;
      expect(refresh.get('Session-Expires')).toBe('180;refresher=uac');
      expect(refresh.bodyText.replace(/^o=.*$/m, '')).toBe(second.bodyText.replace(/^o=.*$/m, ''));
    });
  });
});
