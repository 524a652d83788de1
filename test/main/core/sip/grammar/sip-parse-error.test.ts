import { describe, expect, it } from 'vitest';
import { SipParseError, malformed } from '../../../../../main/core/sip/index.js';

describe('SipParseError', () => {
  it('is a named Error with a code, a Reason-Phrase and the status to answer with', () => {
    const error = new SipParseError('version', 'Version Not Supported', 'SIP/3.0');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SipParseError');
    expect(error.statusCode).toBe(505);
    expect(error.message).toBe('Version Not Supported: SIP/3.0');
    expect(error.detail).toBe('SIP/3.0');
    expect(malformed('Bad Via header field').statusCode).toBe(400);
    expect(new SipParseError('too_large', 'Message Too Large').statusCode).toBe(513);
  });

  it('is answerable only for a request other than ACK that has a Via', () => {
    const via = { name: 'v', value: 'SIP/2.0/UDP h' };
    const base = malformed('Bad To header field');
    expect(base.isAnswerable).toBe(false);
    expect(base.withContext({ startLine: 'request', method: 'INVITE', headers: [via] }).isAnswerable).toBe(true);
    expect(base.withContext({ startLine: 'request', method: 'ACK', headers: [via] }).isAnswerable).toBe(false);
    expect(base.withContext({ startLine: 'request', method: 'INVITE', headers: [] }).isAnswerable).toBe(false);
    expect(base.withContext({ startLine: 'response', headers: [via] }).isAnswerable).toBe(false);
  });

  it('keeps code, reason and detail when given a context', () => {
    const error = new SipParseError('missing_header', 'Missing To header field', 'detail').withContext({ startLine: 'request', method: 'BYE' });
    expect(error).toMatchObject({ code: 'missing_header', reason: 'Missing To header field', detail: 'detail', method: 'BYE' });
  });
});
