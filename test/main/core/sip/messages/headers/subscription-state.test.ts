import { describe, expect, it } from 'vitest';
import { SipParseError, parseSubscriptionState } from '../../../../../../main/core/sip/index.js';

describe('Subscription-State (RFC 6665 §8.2.3)', () => {
  it('reads the state and its parameters', () => {
    const active = parseSubscriptionState('Active;expires=599');
    expect(active.state).toBe('active');
    expect(active.expires).toBe(599);
    const ended = parseSubscriptionState('terminated;reason=Timeout;retry-after=30');
    expect(ended.reason).toBe('timeout');
    expect(ended.retryAfter).toBe(30);
    expect(ended.expires).toBeUndefined();
  });

  it('refuses a malformed value, and a bad expiry when it is read', () => {
    expect(() => parseSubscriptionState(';expires=1')).toThrow(SipParseError);
    expect(() => parseSubscriptionState('active;expires=soon').expires).toThrow(SipParseError);
  });
});
