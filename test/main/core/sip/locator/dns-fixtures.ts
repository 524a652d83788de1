/** Small builders for DNS records and a readable form of destinations, shared by the locator tests. */
import type { Destination } from '../../../../../main/core/sip/locator/destination.js';
import type { NaptrRecord, SrvRecord } from '../../../../../main/core/sip/locator/dns-resolver.js';
import type { RandomSource } from '../../../../../main/core/sip/locator/srv-ordering.js';

/** A NAPTR record for SIP as RFC 3263 §4.1 writes them: flag "s", no regexp. */
export function naptr(order: number, preference: number, service: string, replacement: string, flags = 's'): NaptrRecord {
  return { order, preference, flags, service, regexp: '', replacement };
}

export function srv(priority: number, weight: number, port: number, name: string): SrvRecord {
  return { priority, weight, port, name };
}

/** `udp 192.0.2.1:5060`, `tls [2001:db8::1]:5061`: one line per destination, easy to compare. */
export function show(destinations: readonly Destination[]): string[] {
  return destinations.map((d) => `${d.transport} ${d.family === 6 ? `[${d.address}]` : d.address}:${d.port}`);
}

/** A `RandomSource` returning `values` in turn, then repeating them. */
export function randomSequence(...values: number[]): RandomSource {
  let i = 0;
  return () => {
    const value = values[i % values.length]!;
    i++;
    return value;
  };
}

/** A clock the test moves by hand, in ms. */
export class FakeClock {
  constructor(public ms = 1_000_000) {}
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}
