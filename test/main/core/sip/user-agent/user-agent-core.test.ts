/** The user agent core's checks and routing (RFC 3261 §8.2, §9.2, §11.2, §12.2.2). */
import { describe, expect, it } from 'vitest';
import { harness, peerRequest, sdpState } from './harness.js';

describe('UserAgentCore', () => {
  it.each([
    ['FOO', 501],
    ['MESSAGE', 405],
    ['BYE', 481],
    ['UPDATE', 481],
  ])('answers %s outside a dialog with %i', (method, status) => {
    const h = harness();
    h.deliver(peerRequest(method));
    const [response] = h.responses();
    expect(response!.status).toBe(status);
    if (status === 501 || status === 405) expect(response!.get('Allow')).toContain('INVITE');
  });

  it('answers OPTIONS with Allow, Accept and Supported (§11.2)', () => {
    const h = harness();
    h.deliver(peerRequest('OPTIONS'));
    const [ok] = h.responses(200);
    expect(ok!.allow).toEqual(expect.arrayContaining(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'PRACK', 'UPDATE']));
    expect(ok!.get('Accept')).toBe('application/sdp');
    expect(ok!.supported).toEqual(['100rel', 'timer', 'replaces']);
  });

  it('refuses an unknown required extension with 420 and Unsupported (§8.2.2.3)', () => {
    const h = harness();
    h.deliver(peerRequest('INVITE', { headers: [['Require', '100rel, foo, bar']] }));
    const [response] = h.responses(420);
    expect(response!.unsupported).toEqual(['foo', 'bar']);
    expect(h.incoming).toHaveLength(0);
  });

  it('answers a request for a dialog it does not know with 481 (§12.2.2)', () => {
    const h = harness();
    h.deliver(peerRequest('BYE', { toTag: 'nobody' }));
    expect(h.responses(481)).toHaveLength(1);
  });

  it('answers a CANCEL matching no INVITE with 481 (§9.2)', () => {
    const h = harness();
    h.deliver(peerRequest('CANCEL'));
    expect(h.responses(481)).toHaveLength(1);
  });

  it('answers a merged INVITE (same From tag, Call-ID, CSeq, another branch) with 482 (§8.2.2.2)', () => {
    const h = harness();
    h.deliver(peerRequest('INVITE', { body: sdpState(50000).createOffer(), branch: 'z9hG4bKa' }));
    h.deliver(peerRequest('INVITE', { body: sdpState(50002).createOffer(), branch: 'z9hG4bKb' }));
    expect(h.responses(482)).toHaveLength(1);
    expect(h.incoming).toHaveLength(1);
  });

  it('answers a too small Session-Expires with 422 and Min-SE (RFC 4028 §8.1)', () => {
    const h = harness();
    h.deliver(peerRequest('INVITE', { body: sdpState(50000).createOffer(), headers: [['Session-Expires', '30']] }));
    expect(h.responses(422)[0]!.get('Min-SE')).toBe('90');
  });

  it('answers INVITE with 480 when nobody takes calls', () => {
    const h = harness({ onIncomingCall: undefined });
    h.deliver(peerRequest('INVITE', { body: sdpState(50000).createOffer() }));
    expect(h.responses(480)).toHaveLength(1);
  });
});
