import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { createAnswer, newSessionId, SessionDescriptionState } from '../../../../../main/core/media/sdp/index.js';
import { HEADER, localAudio, PCMU, sdp, sdpFixture } from './sdp-fixtures.js';

function alice(): SessionDescriptionState {
  return new SessionDescriptionState({ sessionId: '1000', sessionVersion: 5, username: 'alice', address: '192.0.2.10', audio: localAudio() });
}

/** Bob answers like a phone that honours RFC 3264 §6.1. */
function bobAnswers(offer: string): string {
  return createAnswer(offer, { sessionId: '2000', sessionVersion: 1, address: '198.51.100.20', audio: localAudio({ port: 30000 }) }).sdp;
}

function origin(text: string): { sessionId: unknown; sessionVersion: unknown } {
  const { sessionId, sessionVersion } = parse(text).origin ?? {};
  return { sessionId, sessionVersion };
}

function direction(text: string): unknown {
  return parse(text).media[0]?.direction;
}

describe('SessionDescriptionState: o= version (RFC 3264 §8)', () => {
  it('keeps the version for an unchanged description, bumps it by one on each change', () => {
    const state = alice();
    const first = state.createOffer();
    expect(origin(first)).toEqual({ sessionId: 1000, sessionVersion: 5 });
    state.processAnswer(bobAnswers(first));

    const again = state.createOffer();
    expect(again).toBe(first);
    state.processAnswer(bobAnswers(again));

    state.update({ audio: { port: 41000 } });
    const moved = state.createOffer();
    expect(origin(moved).sessionVersion).toBe(6);
    expect(state.sessionVersion).toBe(6);
    state.processAnswer(bobAnswers(moved));

    state.update({ audio: { codecs: [PCMU] } });
    const narrower = state.createOffer();
    expect(origin(narrower)).toEqual({ sessionId: 1000, sessionVersion: 7 });
  });

  it('answers count as our description too', () => {
    const state = alice();
    const first = state.createAnswer(sdpFixture('asterisk-offer'));
    expect(origin(first.sdp).sessionVersion).toBe(5);
    expect(origin(state.createAnswer(sdpFixture('asterisk-offer')).sdp).sessionVersion).toBe(5);
    expect(origin(state.createAnswer(sdpFixture('asterisk-hold-offer')).sdp).sessionVersion).toBe(6);
  });

  it('makes a fresh numeric session id when none is given', () => {
    expect(newSessionId()).toMatch(/^\d{1,20}$/);
    const state = new SessionDescriptionState({ address: '192.0.2.10', audio: localAudio() });
    expect(state.sessionId).toMatch(/^\d+$/);
    expect(state.sessionVersion).toBe(0);
  });

  it('one offer at a time; an answer needs an offer', () => {
    const state = alice();
    expect(() => state.processAnswer(bobAnswers(alice().createOffer()))).toThrow(/no offer/);
    state.createOffer();
    expect(state.offerPending).toBe(true);
    expect(() => state.createOffer()).toThrow(/already waiting/);
    expect(() => state.createAnswer(sdpFixture('asterisk-offer'))).toThrow(/491/);
    state.offerFailed();
    expect(state.offerPending).toBe(false);
  });
});

describe('SessionDescriptionState: hold and resume (RFC 6337 §5.3, RFC 3264 §8.4)', () => {
  it('alice holds bob, bob answers recvonly, alice resumes', () => {
    const state = alice();
    state.processAnswer(bobAnswers(state.createOffer()));

    state.hold();
    const hold = state.createOffer();
    expect(direction(hold)).toBe('sendonly');
    expect(origin(hold).sessionVersion).toBe(6);
    const held = state.processAnswer(bobAnswers(hold));
    expect(held).toMatchObject({ direction: 'sendonly', remoteHold: false });
    expect(state.onHold).toBe(true);

    state.resume();
    const resume = state.createOffer();
    expect(direction(resume)).toBe('sendrecv');
    expect(origin(resume).sessionVersion).toBe(7);
    expect(state.processAnswer(bobAnswers(resume)).direction).toBe('sendrecv');
  });

  it('bob holds alice first; alice then holds too: inactive', () => {
    const state = alice();
    const held = state.createAnswer(sdpFixture('asterisk-hold-offer'));
    expect(held.negotiated).toMatchObject({ direction: 'recvonly', remoteHold: true });
    state.hold();
    expect(direction(state.createOffer())).toBe('inactive');
  });

  it('while alice holds, she answers a re-offer as a holder: sendonly, or inactive to a hold', () => {
    const state = alice();
    state.hold();
    expect(direction(state.createAnswer(sdpFixture('asterisk-offer')).sdp)).toBe('sendonly');
    expect(direction(state.createAnswer(sdpFixture('asterisk-hold-offer')).sdp)).toBe('inactive');
  });

  it('bob holds with legacy c=0.0.0.0, alice answers recvonly and never writes 0.0.0.0', () => {
    const state = alice();
    const { sdp: answer, negotiated } = state.createAnswer(sdpFixture('legacy-hold-offer'));
    expect(negotiated.remoteHold).toBe(true);
    expect(direction(answer)).toBe('recvonly');
    expect(answer).not.toContain('0.0.0.0');
    const resumed = state.createAnswer(sdp(...HEADER, 'm=audio 19270 RTP/AVP 0', 'a=sendrecv'));
    expect(resumed.negotiated).toMatchObject({ direction: 'sendrecv', remoteHold: false });
  });
});
