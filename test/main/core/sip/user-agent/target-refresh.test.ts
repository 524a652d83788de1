/**
 * A target refresh after a network change (RFC 3261 §12.2, §14): the re-INVITE with our new
 * Contact and a new version of our description; serialised with other exchanges (§14.1), 491
 * and 500 retried on their timers, 408/481/no answer ending the call (§12.2.1.2).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionDescriptionState } from '../../../../../main/core/media/sdp/index.js';
import type { SipRequest } from '../../../../../main/core/sip/messages/index.js';
import { SessionState, type InviteSession, type TerminationInfo } from '../../../../../main/core/sip/user-agent/index.js';
import { harness, peerRequest, sdpState, type Harness } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const NEW_CONTACT = '<sip:alice@198.51.100.7:5070>';
const NEW_ADDRESS = '198.51.100.7';
const NEW_PORT = 41000;

interface Call {
  readonly session: InviteSession;
  readonly ours: SessionDescriptionState;
  readonly bob: SessionDescriptionState;
  readonly ended: TerminationInfo[];
  readonly media: string[];
}

/** We call bob and he answers: we are the UAC and own the Call-ID. */
async function placedCall(h: Harness): Promise<Call> {
  const ended: TerminationInfo[] = [];
  const media: string[] = [];
  const ours = sdpState(40000);
  const session = h.ua.invite({
    target: 'sip:bob@example.test',
    sdp: ours,
    delegate: { onTerminated: (i) => ended.push(i), onSessionDescription: (m) => media.push(m.direction) },
  });
  await h.flush();
  const [invite] = h.sent('INVITE');
  const bob = sdpState(50000);
  h.answer(invite!, 200, { body: bob.createAnswer(invite!.bodyText).sdp });
  await h.flush();
  return { session, ours, bob, ended, media };
}

/** bob calls us and we answer: bob owns the Call-ID. */
function answeredCall(h: Harness): Call {
  const bob = sdpState(50000);
  h.deliver(peerRequest('INVITE', { body: bob.createOffer() }));
  const session = h.incoming[0]!;
  const ended: TerminationInfo[] = [];
  const media: string[] = [];
  session.delegate = { onTerminated: (i) => ended.push(i), onSessionDescription: (m) => media.push(m.direction) };
  const ours = sdpState(40000);
  session.answer(ours);
  bob.processAnswer(h.responses(200)[0]!.bodyText);
  h.deliver(peerRequest('ACK', { toTag: session.localTag }));
  return { session, ours, bob, ended, media };
}

/** Distinct requests of a method we sent (a retransmission is the same CSeq). */
function sentOnce(h: Harness, method: string): SipRequest[] {
  const seen = new Set<number>();
  return h.sent(method).filter((r) => !seen.has(r.cseq.seq) && seen.add(r.cseq.seq));
}

const moveMedia = (call: Call) => () => call.ours.update({ address: NEW_ADDRESS, audio: { port: NEW_PORT } });
const version = (sdp: string) => Number(/^o=\S+ \S+ (\d+)/m.exec(sdp)![1]);

describe('target refresh after a network change', () => {
  it('sends a re-INVITE with the new Contact and a new SDP version naming the new address and port', async () => {
    const h = harness();
    const call = await placedCall(h);
    const first = h.sent('INVITE')[0]!;
    const outcome = call.session.refreshTarget(NEW_CONTACT, moveMedia(call));
    await h.flush();
    const reinvite = sentOnce(h, 'INVITE')[1]!;
    expect(reinvite.get('Contact')).toBe(NEW_CONTACT);
    expect(reinvite.to.tag).toBe('bobtag');
    expect(reinvite.bodyText).toContain(`c=IN IP4 ${NEW_ADDRESS}`);
    expect(reinvite.bodyText).toContain(`m=audio ${NEW_PORT} `);
    expect(reinvite.bodyText).toContain('a=sendrecv');
    expect(version(reinvite.bodyText)).toBe(version(first.bodyText) + 1);
    h.answer(reinvite, 200, { body: call.bob.createAnswer(reinvite.bodyText).sdp });
    await expect(outcome).resolves.toEqual({ kind: 'accepted' });
    expect(h.sent('ACK').at(-1)!.cseq.seq).toBe(reinvite.cseq.seq);
    expect(call.media).toEqual(['sendrecv', 'sendrecv']);
    // Later requests of the dialog carry the new Contact too (§12.2.1.1).
    void call.session.hold();
    await h.flush();
    expect(sentOnce(h, 'INVITE')[2]!.get('Contact')).toBe(NEW_CONTACT);
  });

  it('a held call stays held: the refresh offers sendonly', async () => {
    const h = harness();
    const call = await placedCall(h);
    const held = call.session.hold();
    await h.flush();
    const hold = sentOnce(h, 'INVITE')[1]!;
    h.answer(hold, 200, { body: call.bob.createAnswer(hold.bodyText).sdp });
    await held;
    const outcome = call.session.refreshTarget(NEW_CONTACT, moveMedia(call));
    await h.flush();
    const reinvite = sentOnce(h, 'INVITE')[2]!;
    expect(reinvite.bodyText).toContain('a=sendonly');
    expect(reinvite.bodyText).toContain(`m=audio ${NEW_PORT} `);
    h.answer(reinvite, 200, { body: call.bob.createAnswer(reinvite.bodyText).sdp });
    await expect(outcome).resolves.toEqual({ kind: 'accepted' });
  });

  it('waits for a hold in progress instead of sending a second re-INVITE (§14.1), then sends one', async () => {
    const h = harness();
    const call = await placedCall(h);
    const prepare = vi.fn(moveMedia(call));
    const held = call.session.hold();
    await h.flush();
    const outcome = call.session.refreshTarget(NEW_CONTACT, prepare);
    await vi.advanceTimersByTimeAsync(400);
    expect(sentOnce(h, 'INVITE')).toHaveLength(2);
    expect(prepare).not.toHaveBeenCalled();
    const hold = sentOnce(h, 'INVITE')[1]!;
    expect(hold.bodyText).toContain('m=audio 40000 ');
    h.answer(hold, 200, { body: call.bob.createAnswer(hold.bodyText).sdp });
    await held;
    await h.flush();
    expect(prepare).toHaveBeenCalledTimes(1);
    const reinvite = sentOnce(h, 'INVITE')[2]!;
    expect(reinvite.get('Contact')).toBe(NEW_CONTACT);
    expect(reinvite.bodyText).toContain('a=sendonly');
    h.answer(reinvite, 200, { body: call.bob.createAnswer(reinvite.bodyText).sdp });
    await expect(outcome).resolves.toEqual({ kind: 'accepted' });
    expect(sentOnce(h, 'INVITE')).toHaveLength(3);
  });

  it('a hold asked for while the refresh is on the wire waits for it, then goes (not refused)', async () => {
    const h = harness();
    const call = await placedCall(h);
    const outcome = call.session.refreshTarget(NEW_CONTACT, moveMedia(call));
    await h.flush();
    const held = call.session.hold();
    await h.flush();
    expect(sentOnce(h, 'INVITE')).toHaveLength(2);
    const reinvite = sentOnce(h, 'INVITE')[1]!;
    h.answer(reinvite, 200, { body: call.bob.createAnswer(reinvite.bodyText).sdp });
    await expect(outcome).resolves.toEqual({ kind: 'accepted' });
    await h.flush();
    const hold = sentOnce(h, 'INVITE')[2]!;
    expect(hold.bodyText).toContain('a=sendonly');
    expect(hold.get('Contact')).toBe(NEW_CONTACT);
    expect(hold.bodyText).toContain(`m=audio ${NEW_PORT} `);
    h.answer(hold, 200, { body: call.bob.createAnswer(hold.bodyText).sdp });
    await held;
    expect(call.media.at(-1)).toBe('sendonly');
  });

  it("waits for the peer's re-INVITE to be ACKed before offering", async () => {
    const h = harness();
    const call = answeredCall(h);
    const toTag = call.session.dialogId!.localTag;
    h.deliver(peerRequest('INVITE', { toTag, seq: 2, body: call.bob.createOffer() }));
    call.bob.processAnswer(h.responses(200).at(-1)!.bodyText);
    const outcome = call.session.refreshTarget(NEW_CONTACT, moveMedia(call));
    await h.flush();
    expect(h.sent('INVITE')).toHaveLength(0);
    h.deliver(peerRequest('ACK', { toTag, seq: 2 }));
    await h.flush();
    const [reinvite] = sentOnce(h, 'INVITE');
    expect(reinvite!.get('Contact')).toBe(NEW_CONTACT);
    h.answer(reinvite!, 200, { body: call.bob.createAnswer(reinvite!.bodyText).sdp });
    await expect(outcome).resolves.toEqual({ kind: 'accepted' });
  });

  it.each([
    ['the Call-ID owner', 'placed', 2100],
    ['not the owner', 'answered', 10],
  ] as const)('a 491 is tried again after the §14.1 timer, as %s (%s call: %i ms)', async (_who, kind, delay) => {
    // random 0: the owner waits 2.1 s; the other side 0 s (here after a 10 ms tick).
    const h = harness({ random: () => 0 });
    const call = kind === 'placed' ? await placedCall(h) : answeredCall(h);
    const before = sentOnce(h, 'INVITE').length;
    const outcome = call.session.refreshTarget(NEW_CONTACT, moveMedia(call));
    await h.flush();
    const first = sentOnce(h, 'INVITE')[before]!;
    h.answer(first, 491);
    await h.flush();
    if (kind === 'placed') {
      await vi.advanceTimersByTimeAsync(delay - 10);
      expect(sentOnce(h, 'INVITE')).toHaveLength(before + 1);
    }
    await vi.advanceTimersByTimeAsync(10);
    const again = sentOnce(h, 'INVITE');
    expect(again).toHaveLength(before + 2);
    const retry = again.at(-1)!;
    expect(retry.get('Contact')).toBe(NEW_CONTACT);
    // The same description again: same version (RFC 3264 §8), same new port.
    expect(version(retry.bodyText)).toBe(version(first.bodyText));
    expect(retry.bodyText).toContain(`m=audio ${NEW_PORT} `);
    h.answer(retry, 200, { body: call.bob.createAnswer(retry.bodyText).sdp });
    await expect(outcome).resolves.toEqual({ kind: 'accepted' });
  });

  it("a peer's re-INVITE answered while we wait out a 491 refreshes the target: nothing more is sent", async () => {
    const h = harness({ random: () => 0 });
    const call = await placedCall(h);
    const outcome = call.session.refreshTarget(NEW_CONTACT, moveMedia(call));
    await h.flush();
    h.answer(sentOnce(h, 'INVITE')[1]!, 491);
    await h.flush();
    const toTag = call.session.dialogId!.localTag;
    h.deliver(peerRequest('INVITE', { callId: call.session.dialogId!.callId, fromTag: 'bobtag', toTag, seq: 7, body: call.bob.createOffer() }));
    const ok = h.responses(200).at(-1)!;
    expect(ok.get('Contact')).toBe(NEW_CONTACT);
    expect(ok.bodyText).toContain(`m=audio ${NEW_PORT} `);
    h.deliver(peerRequest('ACK', { callId: call.session.dialogId!.callId, fromTag: 'bobtag', toTag, seq: 7 }));
    await vi.advanceTimersByTimeAsync(5000);
    await expect(outcome).resolves.toEqual({ kind: 'accepted' });
    expect(sentOnce(h, 'INVITE')).toHaveLength(2);
  });

  it('a 500 with Retry-After is tried again after it (§14.2)', async () => {
    const h = harness();
    const call = await placedCall(h);
    const outcome = call.session.refreshTarget(NEW_CONTACT, moveMedia(call));
    await h.flush();
    h.answer(sentOnce(h, 'INVITE')[1]!, 500, { headers: [['Retry-After', '3']] });
    await vi.advanceTimersByTimeAsync(2990);
    expect(sentOnce(h, 'INVITE')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10);
    const retry = sentOnce(h, 'INVITE')[2]!;
    h.answer(retry, 200, { body: call.bob.createAnswer(retry.bodyText).sdp });
    await expect(outcome).resolves.toEqual({ kind: 'accepted' });
  });

  it('gives up after five 491s: refused, and the call goes on', async () => {
    const h = harness({ random: () => 0 });
    const call = answeredCall(h);
    const outcome = call.session.refreshTarget(NEW_CONTACT, moveMedia(call));
    for (let i = 0; i < 5; i++) {
      await h.flush();
      h.answer(sentOnce(h, 'INVITE').at(-1)!, 491);
      await vi.advanceTimersByTimeAsync(10);
    }
    await expect(outcome).resolves.toEqual({ kind: 'refused', code: 491, reason: 'Request Pending' });
    expect(sentOnce(h, 'INVITE')).toHaveLength(5);
    expect(call.session.state).toBe(SessionState.Established);
  });

  it.each([
    [488, undefined],
    [500, undefined],
    [500, '60'],
  ] as const)('a %i (Retry-After %s) is refused and leaves the session as it was', async (status, retryAfter) => {
    const h = harness();
    const call = await placedCall(h);
    const outcome = call.session.refreshTarget(NEW_CONTACT, moveMedia(call));
    await h.flush();
    h.answer(sentOnce(h, 'INVITE')[1]!, status, retryAfter === undefined ? {} : { headers: [['Retry-After', retryAfter]] });
    await expect(outcome).resolves.toMatchObject({ kind: 'refused', code: status });
    expect(call.session.state).toBe(SessionState.Established);
    expect(call.ended).toEqual([]);
    // A later offer is possible (the failed one is forgotten).
    void call.session.hold();
    await h.flush();
    expect(sentOnce(h, 'INVITE')).toHaveLength(3);
  });

  it.each([408, 481])('a %i ends the call with a BYE (§12.2.1.2): failed', async (status) => {
    const h = harness();
    const call = await placedCall(h);
    const outcome = call.session.refreshTarget(NEW_CONTACT, moveMedia(call));
    await h.flush();
    h.answer(sentOnce(h, 'INVITE')[1]!, status);
    await expect(outcome).resolves.toMatchObject({ kind: 'failed', code: status });
    expect(call.session.state).toBe(SessionState.Terminating);
    expect(h.sent('BYE')).toHaveLength(1);
  });

  it('no answer at all (Timer B) ends the call: failed with 408', async () => {
    const h = harness();
    const call = await placedCall(h);
    const outcome = call.session.refreshTarget(NEW_CONTACT, moveMedia(call));
    await vi.advanceTimersByTimeAsync(32_000);
    await expect(outcome).resolves.toMatchObject({ kind: 'failed', code: 408 });
    expect(h.sent('BYE')).toHaveLength(1);
    expect(call.session.state).toBe(SessionState.Terminating);
  });

  it('a BYE from the peer while waiting out a 491: over, nothing more sent', async () => {
    const h = harness({ random: () => 0.5 });
    const call = await placedCall(h);
    const outcome = call.session.refreshTarget(NEW_CONTACT, moveMedia(call));
    await h.flush();
    h.answer(sentOnce(h, 'INVITE')[1]!, 491);
    await h.flush();
    h.deliver(peerRequest('BYE', { callId: call.session.dialogId!.callId, fromTag: 'bobtag', toTag: call.session.dialogId!.localTag, seq: 9 }));
    await expect(outcome).resolves.toEqual({ kind: 'over' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(sentOnce(h, 'INVITE')).toHaveLength(2);
    expect(call.ended).toEqual([{ by: 'remote' }]);
  });

  it('a session already over: over, prepare never runs', async () => {
    const h = harness();
    const call = await placedCall(h);
    h.deliver(peerRequest('BYE', { callId: call.session.dialogId!.callId, fromTag: 'bobtag', toTag: call.session.dialogId!.localTag, seq: 9 }));
    const prepare = vi.fn();
    await expect(call.session.refreshTarget(NEW_CONTACT, prepare)).resolves.toEqual({ kind: 'over' });
    expect(prepare).not.toHaveBeenCalled();
  });
});
