import { describe, expect, it } from 'vitest';
import type { MediaDirection } from '../../../../../main/core/media/sdp/index.js';
import { agreedDirection, answerDirection, holdDirection, MEDIA_DIRECTIONS } from '../../../../../main/core/media/sdp/index.js';

describe('media direction (RFC 3264 §6.1, RFC 6337 §5.3)', () => {
  it('answers each offered direction as the §6.1 table says, when we want sendrecv', () => {
    const table: Record<MediaDirection, MediaDirection> = { sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' };
    for (const offered of MEDIA_DIRECTIONS) expect(answerDirection(offered, 'sendrecv')).toBe(table[offered]);
  });

  it('never answers a direction the offer does not allow', () => {
    for (const offered of MEDIA_DIRECTIONS) {
      for (const wanted of MEDIA_DIRECTIONS) {
        const answered = answerDirection(offered, wanted);
        if (offered === 'sendonly') expect(['recvonly', 'inactive']).toContain(answered);
        if (offered === 'recvonly') expect(['sendonly', 'inactive']).toContain(answered);
        if (offered === 'inactive') expect(answered).toBe('inactive');
      }
    }
  });

  it('holds with sendonly, or inactive when already held', () => {
    expect(holdDirection('sendrecv')).toBe('sendonly');
    expect(holdDirection('recvonly')).toBe('inactive');
    expect(holdDirection('sendonly')).toBe('sendonly');
    expect(holdDirection('inactive')).toBe('inactive');
  });

  it('agrees from our side: we send if the peer receives', () => {
    expect(agreedDirection('sendrecv', 'recvonly')).toBe('sendonly');
    expect(agreedDirection('sendonly', 'sendrecv')).toBe('sendonly');
    expect(agreedDirection('sendrecv', 'inactive')).toBe('inactive');
  });
});
