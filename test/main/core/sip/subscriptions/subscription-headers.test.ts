/** Subscription-State written, Events matched (RFC 6665 §8.2.1, §8.2.3). */
import { describe, expect, it } from 'vitest';
import { parseEvent, parseSubscriptionState } from '../../../../../main/core/sip/messages/index.js';
import { eventMatches, formatSubscriptionState } from '../../../../../main/core/sip/subscriptions/index.js';

describe('formatSubscriptionState', () => {
  it.each([
    [{ state: 'active', expires: 600 }, 'active;expires=600'],
    [{ state: 'pending', expires: 12.7 }, 'pending;expires=12'],
    [{ state: 'terminated', reason: 'probation', retryAfter: 30 }, 'terminated;reason=probation;retry-after=30'],
    [{ state: 'terminated', reason: 'noresource' }, 'terminated;reason=noresource'],
  ] as const)('%o → %s, which parses back', (init, text) => {
    expect(formatSubscriptionState(init)).toBe(text);
    const parsed = parseSubscriptionState(text);
    expect(parsed.state).toBe(init.state);
    expect(parsed.reason).toBe('reason' in init ? init.reason : undefined);
  });
});

describe('eventMatches (§8.2.1)', () => {
  it.each([
    ['presence', 'presence', false, true],
    ['presence', 'presence;foo=bar', false, true],
    ['presence', 'dialog', false, false],
    ['presence', 'presence.winfo', false, false],
    ['refer;id=93', 'refer;id=93', false, true],
    ['refer;id=93', 'refer;id=94', false, false],
    ['refer;id=93', 'refer', false, false],
    ['refer;id=93', 'refer', true, true],
    ['refer;id=93', 'refer;id=94', true, false],
  ])('%s against %s (id optional: %s): %s', (expected, received, idOptional, matches) => {
    expect(eventMatches(parseEvent(expected), parseEvent(received), idOptional)).toBe(matches);
  });
});
