import { afterEach, describe, expect, it } from 'vitest';
import { SipParseError } from '../../../../../main/core/sip/grammar/index.js';
import { parseMessage, SipResponse } from '../../../../../main/core/sip/messages/index.js';
import { IMPLEMENTED_METHODS } from '../../../../../main/core/sip/transport/implemented-methods.js';
import { malformedRequestAnswer } from '../../../../../main/core/sip/transport/malformed-answer.js';
import { fixture } from '../fixtures.js';
import { LayerSet, rawTcpClient, rawUdp, requestText, waitFor } from './transport-fixtures.js';

function refusal(bytes: Uint8Array | string, framing: 'datagram' | 'stream' = 'datagram'): SipParseError {
  try {
    parseMessage(bytes, { framing });
  } catch (error) {
    if (error instanceof SipParseError) return error;
    throw error;
  }
  throw new Error('expected a parse error');
}

const layers = new LayerSet();
afterEach(() => layers.closeAll());

describe('501 for an unknown method with a mismatched CSeq (RFC 4475 §3.1.2.18)', () => {
  it('lists the methods we implement, case-sensitive', () => {
    expect([...IMPLEMENTED_METHODS].sort()).toEqual(
      ['ACK', 'BYE', 'CANCEL', 'INFO', 'INVITE', 'MESSAGE', 'NOTIFY', 'OPTIONS', 'PRACK', 'PUBLISH', 'REFER', 'REGISTER', 'SUBSCRIBE', 'UPDATE'].sort(),
    );
    expect(Object.isFrozen(IMPLEMENTED_METHODS)).toBe(true);
  });

  it('mismatch02 (NEWMETHOD, CSeq INVITE) is answered 501 Not Implemented with Allow', () => {
    const answer = malformedRequestAnswer(refusal(fixture('rfc4475/mismatch02.dat')));
    expect(answer).toBeInstanceOf(SipResponse);
    expect(answer!.status).toBe(501);
    expect(answer!.reason).toBe('Not Implemented');
    expect(answer!.get('Allow')).toBe(IMPLEMENTED_METHODS.join(', '));
    expect(answer!.callId).toBe('mismatch02.dj0234sxdfl3');
    expect(answer!.cseq).toMatchObject({ seq: 8, method: 'INVITE' });
    expect(answer!.to.tag).toBeDefined();
  });

  it('mismatch01 (OPTIONS, a method we implement, CSeq INVITE) stays 400', () => {
    const error = refusal(fixture('rfc4475/mismatch01.dat'));
    const answer = malformedRequestAnswer(error);
    expect(answer?.status).toBe(400);
    expect(answer?.reason).toBe(error.reason);
    expect(answer?.get('Allow')).toBeUndefined();
  });

  it('an unknown method whose request fails for another reason (a missing header) stays 400', () => {
    const text = requestText({ method: 'NEWMETHOD', viaHost: '192.0.2.1' }).replace(/Call-ID: [^\r]*\r\n/, '');
    const error = refusal(text);
    expect(error.code).toBe('missing_header');
    expect(malformedRequestAnswer(error)?.status).toBe(400);
  });

  it('an unknown method with a CSeq naming the same method is not a mismatch', () => {
    const text = requestText({ method: 'NEWMETHOD', viaHost: '192.0.2.1' }).replace('Max-Forwards: 70', 'Max-Forwards: seventy');
    const error = refusal(text);
    expect(error.method).toBe('NEWMETHOD');
    expect(malformedRequestAnswer(error)?.status).toBe(400);
  });

  it('takes the list of methods as an option', () => {
    const error = refusal(fixture('rfc4475/mismatch02.dat'));
    expect(malformedRequestAnswer(error, { implementedMethods: [...IMPLEMENTED_METHODS, 'NEWMETHOD'] })?.status).toBe(400);
    const mismatch01 = refusal(fixture('rfc4475/mismatch01.dat'));
    const answer = malformedRequestAnswer(mismatch01, { implementedMethods: ['INVITE', 'ACK'] });
    expect(answer?.status).toBe(501);
    expect(answer?.get('Allow')).toBe('INVITE, ACK');
  });

  it('the transport layer answers mismatch02 501 over UDP', async () => {
    const bob = layers.make();
    const b = await bob.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const peer = await rawUdp('127.0.0.1');
    layers.onClose(() => peer.socket.close());
    // Via host.example.net: the answer goes to received (the source) and the sent-by port 5060,
    // so point the sent-by port at the raw peer.
    const text = fixture('rfc4475/mismatch02.dat').toString('latin1').replace('host.example.net;', `host.example.net:${peer.port};`);
    peer.socket.send(Buffer.from(text, 'latin1'), b.port, '127.0.0.1');
    await waitFor('the answer', () => peer.received.length === 1);
    expect(peer.received[0]).toMatch(/^SIP\/2\.0 501 Not Implemented\r\n/);
    expect(bob.delegate.malformed).toMatchObject([{ action: 'answered' }]);
  });

  it('the transport layer answers with the configured methods over TCP', async () => {
    const bob = layers.make({ implementedMethods: ['OPTIONS'] });
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    const client = await rawTcpClient('127.0.0.1', b.port);
    layers.onClose(() => client.socket.destroy());
    const text = requestText({ method: 'INVITE', viaHost: '127.0.0.1', viaPort: 9, transport: 'TCP' }).replace('CSeq: 1 INVITE', 'CSeq: 1 BYE');
    client.socket.write(text);
    await waitFor('the answer', () => client.received().includes('\r\n\r\n'));
    const answer = parseMessage(client.received(), { framing: 'stream' });
    expect(answer.startLine).toBe('SIP/2.0 501 Not Implemented');
    expect(answer.get('Allow')).toBe('OPTIONS');
    expect(refusal(text, 'stream').statusCode).toBe(400);
  });
});
