import { describe, expect, it } from 'vitest';
import type { Destination } from '../../../../../main/core/sip/locator/destination.js';
import { DestinationBlocklist } from '../../../../../main/core/sip/locator/destination-blocklist.js';
import { FakeClock } from './dns-fixtures.js';

const a: Destination = { transport: 'udp', address: '192.0.2.1', port: 5060, family: 4 };
const b: Destination = { transport: 'udp', address: '192.0.2.2', port: 5060, family: 4 };
const c: Destination = { transport: 'tcp', address: '2001:DB8::3', port: 5060, family: 6 };

function setup(options: ConstructorParameters<typeof DestinationBlocklist>[0] = {}) {
  const clock = new FakeClock();
  return { clock, blocklist: new DestinationBlocklist({ now: clock.now, ...options }) };
}

describe('DestinationBlocklist (RFC 3263 §4.3 failover)', () => {
  it('blocks for the default 60 s after a transport error', () => {
    const { clock, blocklist } = setup();
    blocklist.block(a);
    expect(blocklist.isBlocked(a)).toBe(true);
    expect(blocklist.isBlocked(b)).toBe(false);
    clock.advance(59);
    expect(blocklist.isBlocked(a)).toBe(true);
    clock.advance(1);
    expect(blocklist.isBlocked(a)).toBe(false);
  });

  it('blocks for a 503 Retry-After, capped so a hostile value cannot lock a server out for good', () => {
    const { clock, blocklist } = setup({ maxSeconds: 600 });
    blocklist.block(a, 120);
    expect(blocklist.blockedUntil(a)).toBe(clock.ms + 120_000);
    blocklist.block(b, 4_294_967_295);
    expect(blocklist.blockedUntil(b)).toBe(clock.ms + 600_000);
  });

  it('keeps the longer of two blocks', () => {
    const { clock, blocklist } = setup();
    blocklist.block(a, 300);
    blocklist.block(a, 10);
    expect(blocklist.blockedUntil(a)).toBe(clock.ms + 300_000);
    blocklist.block(a, 900);
    expect(blocklist.blockedUntil(a)).toBe(clock.ms + 900_000);
  });

  it('ignores zero, negative and NaN durations', () => {
    const { blocklist } = setup();
    blocklist.block(a, 0);
    blocklist.block(b, -5);
    blocklist.block(c, Number.NaN);
    expect([blocklist.isBlocked(a), blocklist.isBlocked(b), blocklist.isBlocked(c)]).toEqual([false, false, false]);
  });

  it('matches on transport, address (any case) and port', () => {
    const { blocklist } = setup();
    blocklist.block(c);
    expect(blocklist.isBlocked({ transport: 'tcp', address: '2001:db8::3', port: 5060 })).toBe(true);
    expect(blocklist.isBlocked({ transport: 'tls', address: '2001:db8::3', port: 5060 })).toBe(false);
    expect(blocklist.isBlocked({ transport: 'tcp', address: '2001:db8::3', port: 5061 })).toBe(false);
  });

  it('unblock() and clear() lift blocks at once', () => {
    const { blocklist } = setup();
    blocklist.block(a);
    blocklist.block(b);
    blocklist.unblock(a);
    expect([blocklist.isBlocked(a), blocklist.isBlocked(b)]).toEqual([false, true]);
    blocklist.clear();
    expect(blocklist.isBlocked(b)).toBe(false);
  });

  it('filter() drops blocked destinations while others remain, keeping order', () => {
    const { blocklist } = setup();
    blocklist.block(b);
    expect(blocklist.filter([a, b, c])).toEqual([a, c]);
  });

  it('filter() returns everything, soonest-unblocked first, when all are blocked', () => {
    const { blocklist } = setup();
    blocklist.block(a, 300);
    blocklist.block(b, 30);
    blocklist.block(c, 100);
    expect(blocklist.filter([a, b, c])).toEqual([b, c, a]);
  });

  it('remembers at most maxEntries destinations, dropping those whose block ends first', () => {
    const { blocklist } = setup({ maxEntries: 2 });
    blocklist.block(a, 300);
    blocklist.block(b, 10);
    blocklist.block(c, 100);
    expect([blocklist.isBlocked(a), blocklist.isBlocked(b), blocklist.isBlocked(c)]).toEqual([true, false, true]);
  });
});
