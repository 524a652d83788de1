/** The outgoing call (RFC 3261 §13.2, §9.1, §8.1.3.4, RFC 3262 §4) against a scripted peer. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DigestClient } from '../../../../../main/core/sip/auth/index.js';
import { SessionState, type SessionDelegate, type TerminationInfo } from '../../../../../main/core/sip/user-agent/index.js';
import { harness, sdpState, type Harness } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function call(h: Harness, options: { offerless?: boolean } = {}) {
  const ended: TerminationInfo[] = [];
  const events: string[] = [];
  const delegate: SessionDelegate = {
    onStateChange: (s) => events.push(s),
    onEarlyMedia: () => events.push('early-media'),
    onSessionDescription: (m) => events.push(`media:${m.direction}`),
    onTerminated: (info) => ended.push(info),
  };
  const session = h.ua.invite({ target: 'sip:bob@example.test', sdp: sdpState(), delegate, ...options });
  return { session, ended, events };
}

/** The answer a peer would give to our INVITE's offer. */
function answerTo(offer: string): string {
  return sdpState(50000).createAnswer(offer).sdp;
}

describe('InviteClientSession', () => {
  it('sends an INVITE with an offer, rings, is answered, ACKs the 2xx (§13.2.2.4)', async () => {
    const h = harness({ routeSet: ['<sip:proxy.example.test;lr>'] });
    const { session, events } = call(h);
    await h.flush();
    const [invite] = h.sent('INVITE');
    expect(invite!.get('Route')).toBe('<sip:proxy.example.test;lr>');
    expect(invite!.get('Contact')).toBe('<sip:alice@192.0.2.1:5060>');
    expect(invite!.get('Supported')).toContain('100rel');
    expect(invite!.get('Allow')).toContain('UPDATE');
    expect(invite!.contentType?.toString()).toContain('application/sdp');
    h.answer(invite!, 180);
    expect(session.state).toBe(SessionState.Proceeding);
    h.answer(invite!, 200, { body: answerTo(invite!.bodyText) });
    await h.flush();
    expect(session.state).toBe(SessionState.Established);
    const [ack] = h.sent('ACK');
    expect(ack!.cseq.seq).toBe(invite!.cseq.seq);
    expect(ack!.to.tag).toBe('bobtag');
    expect(ack!.uri.toString()).toBe('sip:bob@192.0.2.10:5060');
    expect(events).toEqual(['Proceeding', 'Established', 'media:sendrecv']);
  });

  it('ACKs each retransmission of the 2xx with the same ACK', async () => {
    const h = harness();
    call(h);
    await h.flush();
    const [invite] = h.sent('INVITE');
    const ok = h.answer(invite!, 200, { body: answerTo(invite!.bodyText) });
    await h.flush();
    h.endpoint.transactions.receiveResponse(ok, { transport: 'udp', address: '192.0.2.10', port: 5060 });
    await h.flush();
    const acks = h.sent('ACK');
    expect(acks).toHaveLength(2);
    expect(acks[1]).toBe(acks[0]);
  });

  it('takes a 183 with SDP as early media, then the 2xx establishes', async () => {
    const h = harness();
    const { session, events } = call(h);
    await h.flush();
    const [invite] = h.sent('INVITE');
    const answer = answerTo(invite!.bodyText);
    h.answer(invite!, 183, { body: answer });
    expect(session.state).toBe(SessionState.EarlyMedia);
    h.answer(invite!, 200, { body: answer });
    await h.flush();
    expect(session.state).toBe(SessionState.Established);
    expect(events).toContain('early-media');
  });

  it('offerless: the 2xx carries the offer and our ACK the answer (§13.2.1)', async () => {
    const h = harness();
    const { session } = call(h, { offerless: true });
    await h.flush();
    const [invite] = h.sent('INVITE');
    expect(invite!.body.length).toBe(0);
    h.answer(invite!, 200, { body: sdpState(50000).createOffer() });
    await h.flush();
    expect(session.state).toBe(SessionState.Established);
    expect(h.sent('ACK')[0]!.bodyText).toContain('m=audio');
  });

  it('CANCEL waits for a provisional response, copies the Via, and 487 ends the call (§9.1)', async () => {
    const h = harness();
    const { session, ended } = call(h);
    await h.flush();
    const [invite] = h.sent('INVITE');
    session.cancel();
    expect(session.state).toBe(SessionState.Cancelling);
    expect(h.sent('CANCEL')).toHaveLength(0);
    h.answer(invite!, 100);
    const [cancel] = h.sent('CANCEL');
    expect(cancel!.getAll('Via')).toEqual([invite!.getAll('Via')[0]]);
    expect(cancel!.cseq.toString()).toBe(`${invite!.cseq.seq} CANCEL`);
    expect(cancel!.uri.toString()).toBe(invite!.uri.toString());
    h.answer(cancel!, 200);
    h.answer(invite!, 487);
    await h.flush();
    expect(ended).toEqual([{ by: 'local', code: 487, reason: 'Request Terminated' }]);
  });

  it('a 2xx that crosses the CANCEL is ACKed, then the call is ended with BYE (§9.1, §15)', async () => {
    const h = harness();
    const { session, ended } = call(h);
    await h.flush();
    const [invite] = h.sent('INVITE');
    h.answer(invite!, 180);
    session.cancel();
    h.answer(invite!, 200, { body: answerTo(invite!.bodyText) });
    await h.flush();
    expect(h.sent('ACK')).toHaveLength(1);
    const [bye] = h.sent('BYE');
    expect(bye).toBeDefined();
    expect(session.state).toBe(SessionState.Terminating);
    h.answer(bye!, 200);
    await h.flush();
    expect(ended[0]!.by).toBe('local');
  });

  it('forking: two early dialogs; the first 2xx wins, a later 2xx from the other fork gets ACK + BYE (§13.2.2.4)', async () => {
    const h = harness();
    const { session } = call(h);
    await h.flush();
    const [invite] = h.sent('INVITE');
    const answer = answerTo(invite!.bodyText);
    h.answer(invite!, 180, { toTag: 'fork-a' });
    h.answer(invite!, 180, { toTag: 'fork-b' });
    h.answer(invite!, 200, { toTag: 'fork-a', body: answer });
    await h.flush();
    expect(session.dialogId?.remoteTag).toBe('fork-a');
    h.answer(invite!, 200, { toTag: 'fork-b', body: answer });
    await h.flush();
    const acks = h.sent('ACK');
    expect(acks.map((a) => a.to.tag)).toEqual(['fork-a', 'fork-b']);
    const byes = h.sent('BYE');
    expect(byes.map((b) => b.to.tag)).toEqual(['fork-b']);
    expect(session.state).toBe(SessionState.Established);
  });

  it('follows a 3xx by q, never to a target tried before, and gives up after the redirect limit (§8.1.3.4)', async () => {
    const h = harness({ maxRedirects: 2 });
    const { ended } = call(h);
    await h.flush();
    const [first] = h.sent('INVITE');
    h.answer(first!, 302, { headers: [['Contact', '<sip:low@example.test>;q=0.2, <sip:high@example.test>;q=0.9, <sip:bob@example.test>']] });
    await h.flush();
    const second = h.sent('INVITE')[1]!;
    expect(second.uri.toString()).toBe('sip:high@example.test');
    expect(second.callId).toBe(first!.callId);
    expect(second.cseq.seq).toBe(first!.cseq.seq + 1);
    expect(second.bodyText).toBe(first!.bodyText);
    // A loop back to a tried target is skipped: the next queued one is used.
    h.answer(second, 302, { headers: [['Contact', '<sip:high@example.test>']] });
    await h.flush();
    const third = h.sent('INVITE')[2]!;
    expect(third.uri.toString()).toBe('sip:low@example.test');
    h.answer(third, 302, { headers: [['Contact', '<sip:other@example.test>']] });
    await h.flush();
    expect(h.sent('INVITE')).toHaveLength(3);
    expect(ended).toEqual([{ by: 'remote', code: 302, reason: 'Moved Temporarily' }]);
  });

  it('answers a 407 once with digest credentials and a new CSeq (§22.3)', async () => {
    const digest = new DigestClient({ credentials: () => ({ username: 'alice', password: 'secret' }) });
    const h = harness({ digest });
    call(h);
    await h.flush();
    const [first] = h.sent('INVITE');
    h.answer(first!, 407, { headers: [['Proxy-Authenticate', 'Digest realm="example.test", nonce="abc", qop="auth"']] });
    await h.flush();
    const second = h.sent('INVITE')[1]!;
    expect(second.get('Proxy-Authorization')).toMatch(/^Digest .*username="alice"/);
    expect(second.cseq.seq).toBe(first!.cseq.seq + 1);
    expect(second.callId).toBe(first!.callId);
    // Wrong password: the same challenge again is not answered again.
    h.answer(second, 407, { headers: [['Proxy-Authenticate', 'Digest realm="example.test", nonce="def", qop="auth"']] });
    await h.flush();
    expect(h.sent('INVITE')).toHaveLength(2);
  });

  it('PRACKs a reliable 1xx once, with RAck (RFC 3262 §4)', async () => {
    const h = harness();
    call(h);
    await h.flush();
    const [invite] = h.sent('INVITE');
    h.answer(invite!, 180, { headers: [['Require', '100rel'], ['RSeq', '7']] });
    h.answer(invite!, 180, { headers: [['Require', '100rel'], ['RSeq', '7']] });
    await h.flush();
    const pracks = h.sent('PRACK');
    expect(pracks).toHaveLength(1);
    expect(pracks[0]!.get('RAck')).toBe(`7 ${invite!.cseq.seq} INVITE`);
    expect(pracks[0]!.cseq.seq).toBe(invite!.cseq.seq + 1);
    h.answer(invite!, 183, { headers: [['Require', '100rel'], ['RSeq', '8']] });
    await h.flush();
    expect(h.sent('PRACK')[1]!.get('RAck')).toBe(`8 ${invite!.cseq.seq} INVITE`);
  });

  it.each([
    [486, 'Busy Here'],
    [603, 'Decline'],
    [404, 'Not Found'],
  ])('reports a final %i with its reason', async (status, reason) => {
    const h = harness();
    const { session, ended } = call(h);
    await h.flush();
    h.answer(h.sent('INVITE')[0]!, status);
    await h.flush();
    expect(session.state).toBe(SessionState.Terminated);
    expect(ended).toEqual([{ by: 'remote', code: status, reason }]);
    expect(h.ua.dialogCount).toBe(0);
  });

  it('times out after Timer B (64*T1) with no answer at all', async () => {
    const h = harness();
    const { ended } = call(h);
    await vi.advanceTimersByTimeAsync(32_000);
    expect(ended[0]).toMatchObject({ by: 'timeout', code: 408 });
  });

  it('refuses illegal owner actions', async () => {
    const h = harness();
    const { session } = call(h);
    await h.flush();
    expect(() => session.bye()).toThrow(/cannot send BYE in state Calling/);
    await expect(session.hold()).rejects.toThrow(/cannot hold/);
  });
});
