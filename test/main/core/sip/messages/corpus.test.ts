import { describe, expect, it } from 'vitest';
import { parseMessage, serializeMessage, uriEquals, type SipMessage } from '../../../../../main/core/sip/index.js';
import { corpus } from '../../../../fixtures/sip/corpus.js';

describe('the benchmark corpus (test/fixtures/sip/corpus.ts)', () => {
  it.each(Object.entries(corpus))('%s is a well-formed message that round-trips, on a datagram or a stream', (_name, text) => {
    const m = parseMessage(text, { framing: 'stream' });
    expect(m.body.length).toBe(m.contentLength);
    expect(Buffer.from(serializeMessage(m)).toString()).toBe(text);
    expect(parseMessage(Buffer.from(text)).callId).toBe(m.callId);
  });

  it('is one call: the responses match the INVITE, the ACK and BYE stay in its dialog', () => {
    const m = Object.fromEntries(Object.entries(corpus).map(([k, v]) => [k, parseMessage(v)])) as Record<keyof typeof corpus, SipMessage>;
    for (const r of [m.trying, m.ringing, m.ok]) {
      expect(r.callId).toBe(m.invite.callId);
      expect(r.cseq.toString()).toBe(m.invite.cseq.toString());
      expect(r.via[1]?.branch).toBe(m.invite.topVia?.branch);
      expect(r.from.tag).toBe(m.invite.from.tag);
    }
    expect(m.ok.to.tag).toBe('a6c85cf');
    expect(m.ack.cseq).toMatchObject({ seq: m.invite.cseq.seq, method: 'ACK' });
    const remoteTarget = m.ok.contacts[0];
    expect(m.ack.kind === 'request' && remoteTarget !== undefined && !remoteTarget.wildcard && uriEquals(m.ack.uri, remoteTarget.uri)).toBe(true);
    expect(m.ack.routes.map((r) => r.uri.toString())).toEqual(m.ok.recordRoutes.map((r) => r.uri.toString()));
    expect(m.bye.to.tag).toBe(m.invite.from.tag);
  });

  it('carries what the registration and presence code will read', () => {
    const register = parseMessage(corpus.register);
    const [credentials] = register.authorization;
    expect(credentials?.username).toBe('alice');
    expect(credentials?.qop).toEqual(['auth']);
    const binding = register.contacts[0];
    expect(binding !== undefined && !binding.wildcard && [binding.expires, binding.param('+sip.instance')]).toEqual([3600, '<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>']);
    const notify = parseMessage(corpus.notify);
    expect(notify.event?.package).toBe('presence');
    expect(notify.subscriptionState).toMatchObject({ state: 'active', expires: 599 });
    expect(notify.contentType?.mimeType).toBe('application/pidf+xml');
  });
});
