import { describe, expect, it } from 'vitest';
import { MediaType, Parameters, SipParseError, parseMediaType } from '../../../../../../main/core/sip/index.js';

describe('Content-Type (RFC 3261 §20.15)', () => {
  it('reads type, subtype and parameters', () => {
    const type = parseMediaType('Multipart/Mixed ; boundary="7a9cbec02ceef655" ;charset=UTF-8');
    expect(type.mimeType).toBe('multipart/mixed');
    expect(type.boundary).toBe('7a9cbec02ceef655');
    expect(type.params.get('CHARSET')).toBe('UTF-8');
  });

  it.each(['application', 'application/', '/sdp', 'application/sdp extra', 'application sdp'])('refuses %j', (value) => {
    expect(() => parseMediaType(value)).toThrow(SipParseError);
  });

  it('writes itself back', () => {
    expect(new MediaType('application', 'SDP').toString()).toBe('application/sdp');
    expect(new MediaType('text', 'plain', Parameters.from({ charset: 'utf-8' })).toString()).toBe('text/plain;charset=utf-8');
  });
});
