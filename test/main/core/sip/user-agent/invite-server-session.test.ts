/** The incoming call (RFC 3261 §13.3, §9.2, RFC 3262 §3) against a scripted caller. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionState, type TerminationInfo } from '../../../../../main/core/sip/user-agent/index.js';
import { harness, peerRequest, sdpState, type Harness } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function incomingCall(h: Harness, options: { headers?: [string, string][]; offerless?: boolean } = {}) {
  const invite = peerRequest('INVITE', { ...(options.offerless === true ? {} : { body: sdpState(50000).createOffer() }), headers: options.headers ?? [] });
  h.deliver(invite);
  const session = h.incoming[0]!;
  const ended: TerminationInfo[] = [];
  const media: string[] = [];
  session.delegate = { onTerminated: (info) => ended.push(info), onSessionDescription: (m) => media.push(m.direction) };
  return { invite, session, ended, media };
}

function ack(h: Harness, toTag: string, seq = 1, body?: string): void {
  h.deliver(peerRequest('ACK', { toTag, seq, ...(body === undefined ? {} : { body }) }));
}

describe('InviteServerSession', () => {
  it('rings with a To tag and Contact, answers with SDP, and is established by the ACK', () => {
    const h = harness();
    const { session, media } = incomingCall(h);
    expect(session.state).toBe(SessionState.Incoming);
    expect(session.remoteIdentity).toEqual({ uri: 'sip:bob@example.test', displayName: 'Bob' });
    session.ring();
    const [ringing] = h.responses(180);
    expect(ringing!.to.tag).toBe(session.localTag);
    expect(ringing!.get('Contact')).toBe('<sip:alice@192.0.2.1:5060>');
    session.answer(sdpState());
    const [ok] = h.responses(200);
    expect(ok!.to.tag).toBe(session.localTag);
    expect(ok!.bodyText).toContain('m=audio');
    expect(session.state).toBe(SessionState.WaitingForAck);
    ack(h, session.localTag);
    expect(session.state).toBe(SessionState.Established);
    expect(media).toEqual(['sendrecv']);
  });

  it('retransmits the 2xx at T1, 2T1, 4T1... capped at T2 until the ACK (§13.3.1.4)', async () => {
    const h = harness();
    const { session } = incomingCall(h);
    session.answer(sdpState());
    await vi.advanceTimersByTimeAsync(16_000);
    const times = h.endpoint.wire.sent.filter((s) => s.message.kind === 'response' && s.message.status === 200).map((s) => s.at);
    expect(times).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500]);
    ack(h, session.localTag);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.responses(200)).toHaveLength(7);
  });

  it('without an ACK for 64*T1, sends BYE and ends the session (§13.3.1.4)', async () => {
    const h = harness();
    const { session, ended } = incomingCall(h);
    session.answer(sdpState());
    await vi.advanceTimersByTimeAsync(31_999);
    expect(h.sent('BYE')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const [bye] = h.sent('BYE');
    expect(bye!.from.tag).toBe(session.localTag);
    h.answer(bye!, 200);
    await h.flush();
    expect(ended[0]).toMatchObject({ by: 'timeout' });
  });

  it('a BYE asked for before the ACK waits for it (§15)', () => {
    const h = harness();
    const { session } = incomingCall(h);
    session.answer(sdpState());
    session.bye();
    expect(h.sent('BYE')).toHaveLength(0);
    ack(h, session.localTag);
    expect(h.sent('BYE')).toHaveLength(1);
  });

  it.each([
    [486, undefined, 'Busy Here'],
    [603, 'Decline', 'Decline'],
    [480, 'Away', 'Away'],
  ])('rejects with %i', (status, reason, phrase) => {
    const h = harness();
    const { session, ended } = incomingCall(h);
    session.reject(status, reason);
    const [response] = h.responses(status);
    expect(response!.reason).toBe(phrase);
    expect(response!.to.tag).toBe(session.localTag);
    expect(ended).toEqual([{ by: 'local', code: status, reason: phrase }]);
    expect(() => session.answer(sdpState())).toThrow(/cannot answer in state Terminated/);
  });

  it('CANCEL: 200 to the CANCEL, 487 to the INVITE (§9.2)', () => {
    const h = harness();
    const { invite, session, ended } = incomingCall(h);
    session.ring();
    h.deliver(peerRequest('CANCEL', { branch: invite.topVia!.branch! }));
    const cancelled = h.responses(200)[0]!;
    expect(cancelled.cseq.method).toBe('CANCEL');
    expect(cancelled.to.tag).toBe(session.localTag);
    expect(h.responses(487)).toHaveLength(1);
    expect(ended).toEqual([{ by: 'remote', code: 487, reason: 'Request Terminated' }]);
  });

  it('sends 18x reliably to a caller that supports 100rel, retransmitting until PRACK (RFC 3262 §3)', async () => {
    const h = harness();
    const { session } = incomingCall(h, { headers: [['Supported', '100rel']] });
    session.ring();
    const [ringing] = h.responses(180);
    expect(ringing!.get('Require')).toBe('100rel');
    const rseq = ringing!.rseq!;
    await vi.advanceTimersByTimeAsync(3_500);
    expect(h.endpoint.wire.sent.filter((s) => s.message.kind === 'response' && s.message.status === 180).map((s) => s.at)).toEqual([0, 500, 1500, 3500]);
    // A PRACK that names another response is refused.
    h.deliver(peerRequest('PRACK', { toTag: session.localTag, seq: 2, headers: [['RAck', `${rseq + 5} 1 INVITE`]] }));
    expect(h.responses(481)).toHaveLength(1);
    h.deliver(peerRequest('PRACK', { toTag: session.localTag, seq: 3, headers: [['RAck', `${rseq} 1 INVITE`]] }));
    expect(h.responses(200).map((r) => r.cseq.method)).toEqual(['PRACK']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.responses(180)).toHaveLength(4);
  });

  it('rejects with 5xx when no PRACK comes for 64*T1 (RFC 3262 §3)', async () => {
    const h = harness();
    const { session, ended } = incomingCall(h, { headers: [['Require', '100rel']] });
    session.ring();
    await vi.advanceTimersByTimeAsync(32_000);
    expect(h.responses(504)).toHaveLength(1);
    expect(ended[0]).toMatchObject({ by: 'timeout', code: 504 });
  });

  it('offerless INVITE: our 2xx offers, the ACK answers (§13.2.1)', () => {
    const h = harness();
    const { session, media } = incomingCall(h, { offerless: true });
    session.answer(sdpState());
    const offer = h.responses(200)[0]!.bodyText;
    ack(h, session.localTag, 1, sdpState(50000).createAnswer(offer).sdp);
    expect(session.state).toBe(SessionState.Established);
    expect(media).toEqual(['sendrecv']);
  });

  it('an offer it cannot accept is answered 488', () => {
    const h = harness();
    const invite = peerRequest('INVITE', { body: 'v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=video 5000 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n' });
    h.deliver(invite);
    const session = h.incoming[0]!;
    expect(session.answer(sdpState())).toBeUndefined();
    expect(h.responses(488)).toHaveLength(1);
    expect(session.state).toBe(SessionState.Terminated);
  });
});
